"""Grading of free-text answers: key-point (采分点) matching over normalised,
jieba-segmented Chinese text. Pure functions over plain data: no Flask, no
database; the review queue and regrades build on the results."""
