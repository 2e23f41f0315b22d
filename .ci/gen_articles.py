#!/usr/bin/env python3
"""A seeded corpus of N Chinese news articles for the validators when ../shared/bench is not beside the clone:
two topics with columns (one paginated), front matter of every kind, and bodies with the Markdown editors write —
bold lead-ins, headings, lists, block quotes, code, links to other articles and their headings, an image, a table
in raw HTML (dropped with a warning, as the default says).

usage: gen_articles.py N OUTDIR        writes OUTDIR/content/
"""
import os
import random
import sys

PLACES = ["白石县", "青禾市", "石门镇", "横村镇", "东岭乡", "南湖区", "北山县", "西溪镇"]
THINGS = ["退役军人服务站", "“三服务”活动", "老兵工作室", "就业招聘会", "政策宣讲会", "帮扶慰问", "创业培训班"]
SENTENCES = [
    "{p}退役军人事务局深入{t}，详细了解各项工作的开展情况。",
    "会议指出，要把{t}落到实处，让退役军人进门有人接、问事有人答、困难有人帮。",
    "{p}共走访退役军人家庭{n}户，协调解决实际困难{m}件。",
    "与会人员围绕{t}交流了经验做法，并就下一步工作提出意见建议。",
]
COLUMNS = [("sanfuwu", "三服务专题", "shixian", "市县动态", 20), ("sanfuwu", "三服务专题", "tingnei", "厅内动态", None),
           ("zhengwu", "政务公开", "tongzhi", "通知公告", None)]


def sentence(rng):
    return rng.choice(SENTENCES).format(p=rng.choice(PLACES), t=rng.choice(THINGS), n=rng.randint(3, 90),
                                        m=rng.randint(1, 20))


def body(rng, index, names):
    parts = ["**" + rng.choice(["注重宣传引导。", "一、总体要求", "强化服务保障。"]) + "**" + sentence(rng) + sentence(rng)]
    if index % 3 == 0:
        parts.append("## 第一站：" + rng.choice(PLACES) + rng.choice(THINGS))
    parts += [sentence(rng) + sentence(rng) for _ in range(rng.randint(1, 4))]
    if index % 4 == 1:
        parts.append("\n".join("- " + sentence(rng) for _ in range(3)))
    if index % 5 == 2:
        parts.append("> " + sentence(rng))
    if index % 7 == 3 and names:
        target = rng.choice(names)
        parts.append("相关阅读：[{0}]({0}.md)。".format(target))
    if index % 11 == 4:
        parts.append("![招聘会现场](/assets/css/lanmu.css)")
    if index % 13 == 5:
        parts.append("<table><tr><td>单位</td><td>人数</td></tr></table>")
    if index % 17 == 6:
        parts.append("`代码` 与 *强调* 和 [外部链接](https://www.example.gov.cn/)。")
    return "\n\n".join(parts) + "\n"


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20200430)
    content = os.path.join(out, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(content, "_index.md"), "w") as f:
        f.write("---\ntitle: 首页\nsite_name: 青禾省退役军人事务厅\n---\n")
    written = {}
    for topic, topic_title, column, column_title, paginate in COLUMNS:
        os.makedirs(os.path.join(content, topic, column), exist_ok=True)
        with open(os.path.join(content, topic, "_index.md"), "w") as f:
            f.write("---\ntitle: %s\n---\n" % topic_title)
        with open(os.path.join(content, topic, column, "_index.md"), "w") as f:
            f.write("---\ntitle: %s\n%s---\n" % (column_title, "paginate: %d\n" % paginate if paginate else ""))
        written[(topic, column)] = []
    for index in range(count):
        topic, _, column, _, _ = COLUMNS[index % len(COLUMNS)]
        names = written[(topic, column)]
        name = "wenzhang-%04d" % index
        date = "20%02d-%02d-%02d %02d:%02d" % (16 + index % 9, 1 + index % 12, 1 + index % 28, 8 + index % 9, index % 60)
        front = ["title: \"%s%s\"" % (rng.choice(PLACES), rng.choice(THINGS)), "date: %s" % date,
                 "source: %s退役军人事务局" % rng.choice(PLACES)]
        if index % 3 == 0:
            front.append("author: 林晓岚")
        if index % 4 == 0:
            front.append("summary: \"%s\"" % sentence(rng))
        if index % 5 == 0:
            front.append("tags: [三服务, 走访]")
        if index % 50 == 7:
            front.append("pinned: true")
        if index % 97 == 8:
            front.append("draft: true")
        with open(os.path.join(content, topic, column, name + ".md"), "w") as f:
            f.write("---\n" + "\n".join(front) + "\n---\n\n" + body(rng, index, names))
        if index % 97 != 8:
            names.append(name)


if __name__ == "__main__":
    main()
