import LanmuCommandLine

await Lanmu.runFromCommandLine()
