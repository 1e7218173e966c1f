"""Blueprints per audience. Each one states its roles once (see access.py)."""


def register_blueprints(app):
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .exams import bp as exams_bp
    from .auth import bp as auth_bp
    from .learn import bp as learn_bp
    from .practice import bp as practice_bp
    from .review import bp as review_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(practice_bp)
    app.register_blueprint(exams_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(admin_bp)
