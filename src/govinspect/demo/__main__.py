"""`python -m govinspect.demo [--as-of 2026-11-22] [--port 8899] [--bad]`: serve the demo farm until Ctrl-C."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from govinspect.demo import FarmServer, build_farm


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m govinspect.demo", description="运行演示政府网站群（本机代理）"
    )
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=dt.date.today(), help="基准日期，默认今天"
    )
    parser.add_argument("--port", type=int, default=0, help="监听端口，默认随机")
    parser.add_argument("--bad", action="store_true", help="同时提供用于异常处理测试的站点")
    parser.add_argument(
        "--newmedia", type=Path, default=None, metavar="DIR", help="同时提供政务新媒体演示账号，名录写入 DIR"
    )
    args = parser.parse_args(argv)

    farm = build_farm(args.as_of, include_bad=args.bad)
    if args.newmedia is not None:
        _serve_newmedia(farm, args.newmedia)
    with FarmServer(farm, port=args.port) as server:
        print(f"演示站点已启动（基准日期 {farm.as_of.isoformat()}），代理地址：{server.proxy_url}")
        print(f"用法示例：HTTP_PROXY={server.proxy_url} govinspect check http://www.qingshan.gov.cn/")
        for site in farm.sites:
            problems = "、".join(sorted({e.check for e in site.expected})) or "无预置问题"
            print(f"  {site.name:<10} {site.url:<32} {site.layout:<6} {site.encoding:<5} {problems}")
        print("按 Ctrl-C 退出。")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\n已停止。")


def _serve_newmedia(farm, folder: Path) -> None:
    from govinspect.demo.newmedia import build_newmedia_farm, found_csv, mount, registry_csv

    folder.mkdir(parents=True, exist_ok=True)
    nm = build_newmedia_farm(farm.as_of, folder / "manual.csv")
    nm.write_manual()
    (folder / "accounts.csv").write_text(registry_csv(nm), encoding="utf-8")
    (folder / "found.csv").write_text(found_csv(nm), encoding="utf-8")
    mount(farm, nm)
    print(f"政务新媒体演示账号 {len(nm.cases)} 个，名录：{folder / 'accounts.csv'}")
    print(f"  govinspect newmedia import {folder / 'accounts.csv'}")
    print(
        f"  govinspect newmedia check --found {folder / 'found.csv'} --as-of {farm.as_of} --proxy <代理地址>"
    )


if __name__ == "__main__":
    main()
