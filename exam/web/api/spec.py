"""The OpenAPI 3 description of /api/v1 (served as JSON; kept beside the routes it describes)."""
from flask import jsonify

from . import bp

ERROR = {"$ref": "#/components/responses/Error"}


def _json(schema, description="成功"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "客户服务管理师备考平台 API", "version": "1.0.0",
             "description": "考试、自动保存与交卷。除登录外，请求需带 `Authorization: Bearer <token>`"
                            "（或浏览器会话 Cookie 加 `X-CSRFToken` 头）。错误为 `{error: {code, message}}`，message 为中文。"},
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "responses": {"Error": _json({"$ref": "#/components/schemas/Error"}, "错误")},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}}},
            "Option": {"type": "object", "properties": {"key": {"type": "string"}, "label": {"type": "string"},
                                                        "text": {"type": "string"}}},
            "Item": {"type": "object", "required": ["item_id", "type", "stem", "options"], "properties": {
                "item_id": {"type": "integer"}, "position": {"type": "integer"}, "section": {"type": "string"},
                "type": {"type": "string", "enum": ["single", "multiple", "judge", "fill", "numeric", "case", "essay"]},
                "type_label": {"type": "string"}, "stem": {"type": "string"}, "points": {"type": "number"},
                "options": {"type": "array", "items": {"$ref": "#/components/schemas/Option"}},
                "parts": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "string"}, "prompt": {"type": "string"}, "points": {"type": "number"}}}},
                "material": {"type": "string"}, "blanks": {"type": "integer"}, "unit": {"type": "string"}}},
            "Result": {"type": "object", "properties": {
                "released": {"type": "boolean"}, "score": {"type": "number", "nullable": True},
                "max_score": {"type": "number", "nullable": True}, "passed": {"type": "boolean", "nullable": True},
                "pending_review": {"type": "boolean", "nullable": True}}},
            "Answer": {"description": "单选：\"A\"；多选：[\"A\",\"C\"]；判断：true/false；填空：[\"…\",\"…\"]；"
                                      "计算：\"12.5\"；案例：{\"a\": \"…\", \"b\": \"…\"}；方案设计：\"…\"；未作答：null"},
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/auth/login": {"post": {
            "summary": "登录，取得令牌", "security": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
            "responses": {"200": _json({"type": "object", "required": ["token"], "properties": {
                "token": {"type": "string"}, "expires_in": {"type": "integer"}, "user": {"type": "object"}}}),
                "400": ERROR, "401": ERROR}}},
        "/exams": {"get": {
            "summary": "当前用户可以参加的模拟考试和正式考试场次",
            "responses": {"200": _json({"type": "object", "properties": {"exams": {"type": "array", "items": {
                "type": "object", "properties": {
                    "id": {"type": "string", "description": "blueprint:<id> 或 session:<id>"},
                    "title": {"type": "string"}, "kind": {"type": "string"},
                    "time_limit_minutes": {"type": "integer"}, "total_points": {"type": "number"},
                    "pass_mark": {"type": "number"}, "closes_at": {"type": "string", "nullable": True},
                    "open_attempt_id": {"type": "integer", "nullable": True}}}}}}), "401": ERROR}}},
        "/attempts": {"post": {
            "summary": "开始（或继续）一次考试：试卷在返回前已保存",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["exam"], "properties": {"exam": {"type": "string"}}}}}},
            "responses": {"201": _json({"type": "object", "properties": {
                "attempt_id": {"type": "integer"}, "deadline": {"type": "string"},
                "remaining_seconds": {"type": "integer"},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}}}),
                "400": ERROR, "401": ERROR}}},
        "/attempts/{attempt_id}": {"get": {
            "summary": "考试状态、截止时间和已保存的答案；交卷后含成绩",
            "parameters": [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _json({"type": "object", "properties": {
                "attempt_id": {"type": "integer"}, "status": {"type": "string", "enum": ["open", "submitted"]},
                "deadline": {"type": "string"}, "remaining_seconds": {"type": "integer"},
                "answers": {"type": "array", "items": {"type": "object", "properties": {
                    "item_id": {"type": "integer"}, "answer": {}, "seq": {"type": "integer"},
                    "flagged": {"type": "boolean"}}}},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                "result": {"$ref": "#/components/schemas/Result"}}}), "401": ERROR, "404": ERROR}}},
        "/attempts/{attempt_id}/answers/{item_id}": {"put": {
            "summary": "保存一道题的答案（幂等；seq 较旧的保存不会覆盖较新的答案）",
            "parameters": [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                           {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["answer", "seq"], "properties": {
                    "answer": {"$ref": "#/components/schemas/Answer"}, "seq": {"type": "integer", "minimum": 1},
                    "flagged": {"type": "boolean"}}}}}},
            "responses": {"200": _json({"type": "object", "properties": {
                "saved_seq": {"type": "integer"}, "stale": {"type": "boolean"}}}),
                "400": ERROR, "401": ERROR, "404": ERROR,
                "409": {"description": "已过截止时间或已交卷", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
        "/attempts/{attempt_id}/submit": {"post": {
            "summary": "交卷并评分（重复交卷返回同一结果）",
            "parameters": [{"name": "attempt_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _json({"$ref": "#/components/schemas/Result"}), "401": ERROR, "404": ERROR}}},
    },
}


@bp.route("/openapi.json")
def openapi():
    return jsonify(SPEC)
