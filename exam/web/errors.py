"""One error handler: HTML pages in Chinese, or JSON {error: {code, message}} for API clients."""
from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "请求有误。",
    403: "您没有访问这个页面的权限。",
    404: "页面不存在，可能链接有误或内容已被移除。",
    405: "不支持这种请求方式。",
    409: "操作与当前状态冲突。",
    413: "提交的内容过大。",
    500: "服务器出错了，请稍后再试。",
}
TITLES = {400: "请求有误", 403: "无权访问", 404: "找不到页面", 405: "请求方式不支持",
          409: "操作冲突", 413: "内容过大", 500: "服务器错误"}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(code: int, message: str | None = None):
    message = message or MESSAGES.get(code, "出错了。")
    if wants_json():
        return jsonify(error={"code": code, "message": message}), code
    return render_template("errors/error.html", code=code, title=TITLES.get(code, "出错了"),
                           message=message), code


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_response(400, "表单已过期或缺少安全令牌，请刷新页面后重试（您填写的内容请先复制保存）。")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        # abort(404, "…") passes a Chinese message; werkzeug's default English text is replaced.
        custom = exc.description if exc.description and exc.description != type(exc).description else None
        return error_response(exc.code or 500, custom)

    @app.errorhandler(Exception)
    def unhandled(exc):
        app.logger.exception("unhandled error")
        return error_response(500)
