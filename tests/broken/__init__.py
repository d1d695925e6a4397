"""Deliberately broken implementations of the Flask API, each the shim with one
documented behaviour broken, to prove the suite notices. Import them by module
path: ``pytest --impl=redirect_ignores_code`` with this folder on sys.path."""
