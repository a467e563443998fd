"""The web app: ``create_app(settings)``; thin routes (parse → service → render), each page with a JSON twin."""
