from survey import create_app
from survey.warmup import warm

app = create_app()
warm(app)
