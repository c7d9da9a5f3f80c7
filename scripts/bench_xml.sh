#!/usr/bin/env bash
# Benchmark of the XML reader (release build): N WeChat form pushes (default 300,000), each a
# `Content` of labelled lines read out by four `Content#…` columns, as a WeChat source maps them.
# Prints rows/s, rows per CPU second (steadier on a shared machine) and peak RSS. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-300000}
dir=bench-data
file="$dir/wechat-$rows.xml"
mkdir -p "$dir"
if [ ! -f "$file" ]; then
    python3 - "$rows" "$file" <<'PY'
import random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超"
with open(path, "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<pushes account="gh_5f3a9c2e1b7d">\n')
    for i in range(rows):
        mobile = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
        name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        out.write(f"""<xml>
  <ToUserName><![CDATA[gh_5f3a9c2e1b7d]]></ToUserName>
  <FromUserName><![CDATA[oWDev8R17VFvLCoSDH{i:010d}]]></FromUserName>
  <CreateTime>{1793579062 + i}</CreateTime>
  <MsgType><![CDATA[text]]></MsgType>
  <Content><![CDATA[姓名：{name}
手机：{mobile}
公司：烟台市腾瑞医疗器械有限公司{i % 997}
地区：山东 烟台
需求：已经在用竞品，想对比一下]]></Content>
  <MsgId>{6234798578157061461 + i}</MsgId>
</xml>
""")
    out.write("</pushes>\n")
PY
fi
ls -l "$file"
.build/release/crmbridge-bench read xml "$file" MsgId CreateTime MsgType FromUserName \
    "Content#姓名" "Content#手机|电话" "Content#公司" "Content#地区"
