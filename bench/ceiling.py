"""The ceiling: a bare Flask app returning a constant string, served like the kiosk."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def constant() -> str:
    """Nothing but Flask and gunicorn's own cost."""
    return "ok"
