"""WTForms for the account pages (labels and messages in Chinese)."""
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ..models import ROLES
from ..services.accounts import MIN_PASSWORD


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])
    submit = SubmitField("登录")


class RegisterForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(3, 40, "用户名应为 3-40 个字符")])
    display_name = StringField("姓名（可选）", validators=[Length(0, 60, "姓名最多 60 个字符")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"),
                                               Length(MIN_PASSWORD, 128, f"密码至少 {MIN_PASSWORD} 个字符")])
    confirm = PasswordField("确认密码", validators=[EqualTo("password", "两次输入的密码不一致")])
    submit = SubmitField("注册")


class CreateUserForm(RegisterForm):
    role = SelectField("角色", choices=[SelectChoice(k, v) for k, v in ROLES.items()], default="instructor")
    submit = SubmitField("创建账号")


class SessionForm(FlaskForm):
    blueprint_id = SelectField("组卷方案", choices=[], validate_choice=True)
    title = StringField("场次名称", validators=[DataRequired("请填写场次名称"), Length(2, 120, "名称应为 2-120 个字符")])
    opens_at = DateTimeLocalField("开始时间（北京时间）", format="%Y-%m-%dT%H:%M",
                                  validators=[DataRequired("请填写开始时间")])
    closes_at = DateTimeLocalField("结束时间（北京时间）", format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired("请填写结束时间")])
    submit = SubmitField("安排场次")
