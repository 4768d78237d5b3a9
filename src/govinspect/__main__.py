"""`python -m govinspect` and the `govinspect` command.

The CLI is imported inside main(): a check worker process (multiprocessing's spawn) runs the
command's script again as its __main__, and must not load the whole CLI (~40 MB) for that.
"""


def main() -> None:
    from govinspect.cli import app

    app()


if __name__ == "__main__":
    main()
