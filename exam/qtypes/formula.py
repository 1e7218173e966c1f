"""Safe arithmetic for calculation templates: + - * / ( ) on numbers and named variables.

Formulas come from authors and imports, so they are parsed with `ast` and
walked by hand; nothing is ever passed to eval().
"""
from __future__ import annotations

import ast
import operator

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class FormulaError(ValueError):
    pass


def parse_formula(text: str) -> ast.Expression:
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("公式不能为空")
    if len(text) > 500:
        raise FormulaError("公式过长")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise FormulaError(f"公式“{text}”无法解析（只允许数字、变量名和 + - * / ( )）") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load)):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            continue
        if type(node) in _BINARY or type(node) in _UNARY:
            continue
        raise FormulaError(f"公式“{text}”含有不允许的内容（只允许数字、变量名和 + - * / ( )）")
    return tree


def formula_names(text: str) -> set[str]:
    return {n.id for n in ast.walk(parse_formula(text)) if isinstance(n, ast.Name)}


def evaluate(text: str, variables: dict[str, float]) -> float:
    tree = parse_formula(text)

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in variables:
                raise FormulaError(f"公式中的变量“{node.id}”没有定义")
            return float(variables[node.id])
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](walk(node.operand))
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise FormulaError("公式出现除以 0")
            return _BINARY[type(node.op)](left, right)
        raise FormulaError("公式含有不允许的内容")

    return walk(tree)
