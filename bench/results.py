#!/usr/bin/env python3
"""Parses the initiators' output and aggregates the side-by-side runs of bench/run (stdlib only).

  results.py parse-fio FILE                                   fio --output-format=json
  results.py parse-iscsi-perf FILE --request-bytes N          libiscsi iscsi-perf console output
  results.py parse-qemu-img-bench FILE --count N --request-bytes N
  results.py record --round R --workload W --target T ...     one run as a JSON line
  results.py line JSON                                        one run as a progress line
  results.py report RESULTS.jsonl --duration S [--json FILE]  the table (and the JSON file)
"""
import argparse
import json
import re
import statistics
import sys

TARGETS = ("iscsicluster", "tgt")
TARGET_TITLES = {"iscsicluster": "IscsiCluster", "tgt": "tgt"}
MB = 1_000_000
MIB = 1024 * 1024


def fail(message):
    print(f"results.py: {message}", file=sys.stderr)
    sys.exit(1)


# --- parsers: each prints {"iops", "mb_s", optional latency} ---------------------------------

def latency_us(clat, key):
    percentiles = clat.get("percentile") or {}
    value = percentiles.get(key)
    return None if value is None else value / 1000.0


def parse_fio(path):
    with open(path) as f:
        text = f.read()
    # fio may print engine notices before the JSON document.
    data = json.loads(text[text.index("{"):])
    job = data["jobs"][0]
    if job.get("error"):
        fail(f"fio reported error {job['error']} in {path}")
    ops = {}
    for direction in ("read", "write"):
        side = job[direction]
        if side["total_ios"] == 0:
            continue
        ops[direction] = {
            "iops": side["iops"],
            "mb_s": side["bw_bytes"] / MB,
            "p50_us": latency_us(side["clat_ns"], "50.000000"),
            "p99_us": latency_us(side["clat_ns"], "99.000000"),
        }
    if not ops:
        fail(f"fio completed no I/O in {path}")
    # The table's latency is that of the dominant direction (reads in the 70/30 mix).
    main = max(ops.values(), key=lambda o: o["iops"])
    return {
        "iops": sum(o["iops"] for o in ops.values()),
        "mb_s": sum(o["mb_s"] for o in ops.values()),
        "p50_us": main["p50_us"],
        "p99_us": main["p99_us"],
        "by_direction": ops,
    }


def parse_iscsi_perf(path, request_bytes):
    with open(path, errors="replace") as f:
        text = f.read()
    averages = re.findall(r"iops average (\d+)", text)
    if not averages:
        fail(f"no 'iops average' in iscsi-perf output {path}")
    iops = float(averages[-1])
    return {"iops": iops, "mb_s": iops * request_bytes / MB}


def parse_qemu_img_bench(path, count, request_bytes):
    with open(path, errors="replace") as f:
        text = f.read()
    seconds = [float(s) for s in re.findall(r"Run completed in ([0-9.]+) seconds", text)]
    if not seconds or sum(seconds) <= 0:
        fail(f"no completed run in qemu-img bench output {path}")
    iops = count * len(seconds) / sum(seconds)
    return {"iops": iops, "mb_s": iops * request_bytes / MB, "passes": len(seconds)}


# --- one run ---------------------------------------------------------------------------------

def record(args):
    with open(args.tool_file) as f:
        tool = json.load(f)
    node_cpu = args.node_cpu_ticks / args.clk_tck
    tgtd_cpu = args.tgtd_cpu_ticks / args.clk_tck
    target_cpu = node_cpu if args.target == "iscsicluster" else tgtd_cpu
    # I/Os over the whole window the CPU was sampled in (tool start-up and fio's ramp included).
    ios = tool["iops"] * args.wall_seconds
    return {
        "round": args.round,
        "workload": args.workload,
        "target": args.target,
        "initiator": args.initiator,
        **tool,
        "node_cpu_s": node_cpu,
        "tgtd_cpu_s": tgtd_cpu,
        "target_cpu_s": target_cpu,
        "target_cpu_us_per_io": target_cpu * 1e6 / ios if ios > 0 else None,
        "node_peak_rss_bytes": args.node_peak_rss,
    }


def fmt_int(value):
    return "-" if value is None else f"{value:,.0f}"


def fmt_latency(p50, p99):
    if p50 is None or p99 is None:
        return "-"
    return f"{p50:,.0f}/{p99:,.0f}"


def line(run):
    mb = f" {run['mb_s']:,.0f} MB/s" if "128k" in run["workload"] else ""
    lat = "" if run.get("p50_us") is None else f", p50/p99 {fmt_latency(run['p50_us'], run['p99_us'])} us"
    return (f"  round {run['round']}  {run['workload']:<19} {TARGET_TITLES[run['target']]:<12} "
            f"{fmt_int(run['iops']):>8} IOPS{mb}{lat}, CPU {run['target_cpu_s']:.1f} s")


# --- aggregation -----------------------------------------------------------------------------

def median_of(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    iops = [r["iops"] for r in runs]
    return {
        "median_iops": statistics.median(iops),
        "min_iops": min(iops),
        "max_iops": max(iops),
        "stdev_iops": statistics.stdev(iops) if len(iops) > 1 else 0.0,
        "median_mb_s": median_of(runs, "mb_s"),
        "p50_us": median_of(runs, "p50_us"),
        "p99_us": median_of(runs, "p99_us"),
        "cpu_s": median_of(runs, "target_cpu_s"),
        "cpu_us_per_io": median_of(runs, "target_cpu_us_per_io"),
        "runs": runs,
    }


def aggregate(runs, duration):
    names = list(dict.fromkeys(r["workload"] for r in runs))
    workloads = []
    for name in names:
        entry = {"name": name}
        for target in TARGETS:
            mine = [r for r in runs if r["workload"] == name and r["target"] == target]
            if not mine:
                fail(f"no {target} run for {name}")
            entry["initiator"] = mine[0]["initiator"]
            entry[target] = summarize(mine)
        node_runs = entry["iscsicluster"]["runs"]
        entry["iscsicluster"]["peak_rss_bytes"] = max(r["node_peak_rss_bytes"] for r in node_runs)
        tgt_median = entry["tgt"]["median_iops"]
        entry["ratio"] = round(entry["iscsicluster"]["median_iops"] / tgt_median, 3) if tgt_median > 0 else None
        workloads.append(entry)
    return {
        "duration_s": duration,
        "rounds": max(r["round"] for r in runs),
        "workloads": workloads,
        "node_peak_rss_bytes": max(r["node_peak_rss_bytes"] for r in runs),
    }


def throughput_cell(summary, sequential):
    cell = f"{fmt_int(summary['median_iops'])} [{fmt_int(summary['min_iops'])}-{fmt_int(summary['max_iops'])}]"
    if sequential and summary["median_mb_s"] is not None:
        cell += f" {summary['median_mb_s']:,.0f} MB/s"
    return cell


def print_report(result):
    rows = []
    for w in result["workloads"]:
        sequential = w["name"].startswith("seq")
        node, tgt = w["iscsicluster"], w["tgt"]
        rows.append((w["name"], w["initiator"], throughput_cell(node, sequential), throughput_cell(tgt, sequential),
                     "-" if w["ratio"] is None else f"{w['ratio']:.2f}"))
    header = ("workload", "initiator", "IscsiCluster IOPS median [min-max]", "tgt IOPS median [min-max]", "ratio")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    print(f"Throughput: median of {result['rounds']} run(s) of {result['duration_s']} s each, "
          "ratio = IscsiCluster median / tgt median")
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(widths[i]) if i < len(row) - 1 else str(cell).rjust(widths[i])
                        for i, cell in enumerate(row)))
    print()

    rows = []
    for w in result["workloads"]:
        node, tgt = w["iscsicluster"], w["tgt"]
        rows.append((w["name"], fmt_latency(node["p50_us"], node["p99_us"]), fmt_latency(tgt["p50_us"], tgt["p99_us"]),
                     f"{node['cpu_s']:.1f}", f"{tgt['cpu_s']:.1f}",
                     "-" if node["cpu_us_per_io"] is None else f"{node['cpu_us_per_io']:.1f}",
                     "-" if tgt["cpu_us_per_io"] is None else f"{tgt['cpu_us_per_io']:.1f}",
                     f"{node['peak_rss_bytes'] / MIB:,.0f}"))
    header = ("workload", "p50/p99 us node", "p50/p99 us tgt", "CPU s node", "CPU s tgtd",
              "CPU us/IO node", "CPU us/IO tgtd", "node peak RSS MiB")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    print("Latency (fio completion latency, median over runs) and target CPU per run (median; includes "
          "the background work until the target is idle again)")
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(widths[0]) if i == 0 else str(cell).rjust(widths[i])
                        for i, cell in enumerate(row)))
    print()
    print(f"node peak RSS (VmHWM) over the whole benchmark: {result['node_peak_rss_bytes'] / MIB:,.0f} MiB")


def report(args):
    runs = []
    with open(args.results) as f:
        for text in f:
            if text.strip():
                runs.append(json.loads(text))
    if not runs:
        fail("no runs recorded")
    result = aggregate(runs, args.duration)
    print_report(result)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        print(f"JSON written to {args.json}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("parse-fio")
    p.add_argument("file")
    p = commands.add_parser("parse-iscsi-perf")
    p.add_argument("file")
    p.add_argument("--request-bytes", type=int, required=True)
    p = commands.add_parser("parse-qemu-img-bench")
    p.add_argument("file")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--request-bytes", type=int, required=True)

    p = commands.add_parser("record")
    p.add_argument("--round", type=int, required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--target", choices=TARGETS, required=True)
    p.add_argument("--initiator", required=True)
    p.add_argument("--tool-file", required=True)
    p.add_argument("--wall-seconds", type=float, required=True)
    p.add_argument("--node-cpu-ticks", type=int, required=True)
    p.add_argument("--tgtd-cpu-ticks", type=int, required=True)
    p.add_argument("--clk-tck", type=int, required=True)
    p.add_argument("--node-peak-rss", type=int, required=True)

    p = commands.add_parser("line")
    p.add_argument("run")

    p = commands.add_parser("report")
    p.add_argument("results")
    p.add_argument("--duration", type=int, required=True)
    p.add_argument("--json")

    args = parser.parse_args()
    if args.command == "parse-fio":
        print(json.dumps(parse_fio(args.file)))
    elif args.command == "parse-iscsi-perf":
        print(json.dumps(parse_iscsi_perf(args.file, args.request_bytes)))
    elif args.command == "parse-qemu-img-bench":
        print(json.dumps(parse_qemu_img_bench(args.file, args.count, args.request_bytes)))
    elif args.command == "record":
        print(json.dumps(record(args)))
    elif args.command == "line":
        print(line(json.loads(args.run)))
    else:
        report(args)


if __name__ == "__main__":
    main()
