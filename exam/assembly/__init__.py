"""Choosing items for papers (pure functions): practice selectors (practice.py), blueprints (blueprint.py) and drawing a paper from one (draw.py)."""
