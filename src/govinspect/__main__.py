from govinspect.cli import app

app()
