#!/usr/bin/env python3
"""Put the registry sweep's summary into the README (the leak table of the
sweep is generated, not typed).

``./run-tests`` writes the summary of every sweep it runs to
``.test-logs/registry-sweep.md`` (``CLIENT_GUARD_SWEEP_REPORT``): one section
per database swept (the module stage, then the ``--sweep`` stage with more of
Odoo installed). This script copies that file between the README's markers
``<!-- sweep-table:begin -->`` and ``<!-- sweep-table:end -->``.

    python3 tools/sweep_table.py            # update README.md from the last run
    python3 tools/sweep_table.py --check    # exit 1 if README.md is not the last run's table
    python3 tools/sweep_table.py --report other.md

A run that swept one database only (``--no-sweep``) updates the sections it
has: sections are keyed by their first line (what was installed), the others
stay as they were; within a section, a run that swept some roles only
(``--test-tags /client_guard:TestRegistrySweep.test_sweep_accountant``)
replaces those roles' rows. Several reports can be given, oldest first.
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN, END = "<!-- sweep-table:begin -->", "<!-- sweep-table:end -->"


def sections(text):
    """{first line: section text} of a sweep report (sections start with
    "Installed besides client_guard")."""
    parts = re.split(r"(?m)^(?=Installed besides client_guard)", text.strip())
    result = {}
    for raw in parts:
        part = raw.strip()
        if part.startswith("Installed besides client_guard"):
            key = re.sub(r";.*", "", part.splitlines()[0])  # what was installed, not the model count
            result[key] = part
    return result


def merge_section(old, new):
    """``new`` with the role rows of ``old`` it does not have (same header)."""
    if not old:
        return new
    old_lines, new_lines = old.splitlines(), new.splitlines()
    header = [line for line in new_lines if line.startswith("| role")]
    if header != [line for line in old_lines if line.startswith("| role")]:
        return new  # other columns: the new run's table as it is
    rows = {line.split("|")[1].strip(): line for line in old_lines if line.startswith("| ") and "---" not in line
            and not line.startswith("| role")}
    rows.update({line.split("|")[1].strip(): line for line in new_lines if line.startswith("| ")
                 and not line.startswith("| role")})
    head = [line for line in new_lines if not line.startswith("|")]
    table = [header[0], "|" + "---|" * (header[0].count("|") - 1)]
    return "\n".join([*head, *table, *(rows[role] for role in sorted(rows))])


def render(readme, *reports):
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"README.md has no {BEGIN} ... {END} block")
    head, rest = readme.split(BEGIN, 1)
    current, tail = rest.split(END, 1)
    merged = sections(current)
    for report in reports:
        for key, section in sections(report).items():
            merged[key] = merge_section(merged.get(key) if report is not reports[0] else None, section)
    # the module stage (fewest modules) first
    ordered = sorted(merged.values(), key=lambda part: len(part.splitlines()[0]))
    return f"{head}{BEGIN}\n" + "\n\n".join(ordered) + f"\n{END}{tail}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="append",
                        help="sweep report(s), oldest first (default: .test-logs/registry-sweep.md)")
    parser.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    parser.add_argument("--check", action="store_true", help="fail if the README differs from the report")
    args = parser.parse_args()
    paths = args.report or [os.path.join(ROOT, ".test-logs", "registry-sweep.md")]
    reports = []
    for path in paths:
        if not os.path.exists(path):
            raise SystemExit(f"no sweep report at {path}: run ./run-tests (the sweep writes it)")
        with open(path, encoding="utf-8") as handle:
            reports.append(handle.read())
        if not sections(reports[-1]):
            raise SystemExit(f"{path} holds no sweep summary")
    with open(args.readme, encoding="utf-8") as handle:
        readme = handle.read()
    updated = render(readme, *reports)
    if args.check:
        if updated != readme:
            print("README.md's sweep table is not the last sweep's: run python3 tools/sweep_table.py")
            return 1
        print("README.md's sweep table is the last sweep's")
        return 0
    with open(args.readme, "w", encoding="utf-8") as handle:
        handle.write(updated)
    print(f"README.md: sweep table updated from {', '.join(paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
