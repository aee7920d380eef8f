from moodify.cli import app

app()
