"""Writes one man page per lanmu command (lanmu.1, lanmu-build.1, lanmu-theme-export.1, …) from the JSON that
`lanmu --experimental-dump-help` prints: the same definitions the parser, --help and the completions come from.
Usage: manpages.py HELP.json VERSION OUT_DIR"""
import json
import os
import sys


def escape(text):
    lines = []
    for line in (text or "").split("\n"):
        line = line.replace("\\", "\\e").replace("-", "\\-")
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def spelled(name):
    return ("--" if name["kind"] == "long" else "-") + name["name"]


def page(command, path, version, out):
    name = " ".join(path)
    arguments = [a for a in command.get("arguments", []) if not any(n["name"] == "help" for n in a.get("names", []))]
    subcommands = [c for c in command.get("subcommands", []) if c["commandName"] != "help"]
    synopsis = []
    for argument in arguments:
        if argument["kind"] == "positional":
            synopsis.append("<" + argument.get("valueName", "value") + ">")
        else:
            names = argument.get("names", [])
            if not names:
                continue
            shown = spelled(names[0]) + (" <" + argument.get("valueName", "value") + ">" if argument["kind"] == "option" else "")
            synopsis.append(shown if not argument.get("isOptional", True) else "[" + shown + "]")
    if subcommands:
        synopsis.append("<command>")
    text = [
        '.TH "%s" 1 "" "lanmu %s" "Lanmu"' % ("-".join(path).upper(), version),
        ".SH NAME",
        escape(name) + " \\- " + escape(command.get("abstract", "")),
        ".SH SYNOPSIS",
        ".B " + escape(name) + "\n" + escape(" ".join(synopsis)),
    ]
    if command.get("discussion"):
        text += [".SH DESCRIPTION", ".nf", escape(command["discussion"]), ".fi"]
    if arguments:
        text.append(".SH OPTIONS")
        for argument in arguments:
            if argument["kind"] == "positional":
                label = "<" + argument.get("valueName", "value") + ">"
            else:
                label = ", ".join(spelled(n) for n in argument.get("names", []))
                if argument["kind"] == "option":
                    label += " <" + argument.get("valueName", "value") + ">"
            help_text = argument.get("abstract", "")
            if argument.get("defaultValue"):
                help_text += "（默认：%s）" % argument["defaultValue"]
            text += [".TP", ".B " + escape(label), escape(help_text)]
    if subcommands:
        text.append(".SH COMMANDS")
        for sub in subcommands:
            text += [".TP", ".B " + escape(sub["commandName"]), escape(sub.get("abstract", "")),
                     "See \\fB" + escape("-".join(path + [sub["commandName"]])) + "\\fR(1)."]
    if len(path) > 1:
        text += [".SH SEE ALSO", "\\fBlanmu\\fR(1)"]
    with open(os.path.join(out, "-".join(path) + ".1"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(text) + "\n")
    for sub in subcommands:
        page(sub, path + [sub["commandName"]], version, out)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        tool = json.load(handle)
    page(tool["command"], [tool["command"]["commandName"]], sys.argv[2], sys.argv[3])


main()
