#!/usr/bin/python3
"""Parse a Prometheus text exposition (file argument) with prometheus_client's own parser
(Debian's python3-prometheus-client) and print its samples as JSON:
{"families": {name: type}, "samples": [{"name", "labels", "value"}]}. Exit 1 if it does not parse."""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    families, samples = {}, []
    for family in text_string_to_metric_families(text):
        families[family.name] = family.type
        for sample in family.samples:
            value = sample.value
            samples.append({"name": sample.name, "labels": sample.labels,
                            "value": value if math.isfinite(value) else str(value)})
    json.dump({"families": families, "samples": samples}, sys.stdout)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception as error:  # the parser's refusal is the test's failure
        print(f"parse error: {error}", file=sys.stderr)
        sys.exit(1)
