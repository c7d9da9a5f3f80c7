#!/usr/bin/env bash
# Benchmark of the readers (release build): a 1,000,000-line JSON Lines file of web forms read
# end to end by the JSON reader. Prints rows/s and peak RSS. Not a test: figures vary.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
dir=bench-data
mkdir -p "$dir"
file="$dir/forms-$rows.jsonl"
if [ ! -f "$file" ]; then
    python3 - "$rows" "$file" <<'PY'
import json, random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(2026)
surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何", "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超"
cities = ["深圳", "广州", "上海市浦东新区", "北京朝阳", "杭州市西湖区", "成都"]
with open(path, "w", encoding="utf-8") as out:
    for i in range(rows):
        mobile = "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
        form = {"id": f"WF{i:08d}", "formId": "f-2026-11", "name": rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                "mobile": int(mobile) if i % 7 == 0 else mobile, "company": f"公司{i % 9973}有限公司",
                "taxId": None if i % 3 else "91440300MA5FXT4K8N", "city": rng.choice(cities),
                "message": "想了解报价，请尽快联系" if i % 2 else "", "answers": {"budget": "5-10万", "source": "官网"},
                "submittedAt": f"2026-11-{1 + i % 21:02d}T{i % 24:02d}:{i % 60:02d}:00+08:00", "utm_source": "baidu"}
        out.write(json.dumps(form, ensure_ascii=False) + "\n")
PY
fi
swift build -c release --product crmbridge-bench
.build/release/crmbridge-bench read jsonl "$file" id name mobile company taxId city message answers.budget submittedAt utm_source
