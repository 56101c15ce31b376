"""``luntan create_demo_site``: a small forum to look around in, written for luntan.

Creates the site settings, an administrator with a generated password (printed once),
three members, categories, boards, thread types and a few threads with replies and a
quote — the content through the posting and moderation services (置顶 included), in
time order, so every stored counter is what ``luntan rebuild_counters`` would compute. With ``--if-empty`` it does nothing when the
forum already has boards (so a second ``make run`` keeps your data).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from luntan.accounts.models import User, UserGroup
from luntan.boards.models import Board, ThreadType
from luntan.core.models import SiteSettings
from luntan.moderation.services import stick_thread
from luntan.threads.posting import Trust
from luntan.threads.services import PostInput, create_thread, reply

WELCOME = """欢迎来到 luntan 演示论坛！

这里的版块、主题和回复都是为演示而写的，你可以随意浏览：
[list]
[*]每个楼层都有编号：楼主、沙发、板凳、地板，然后是 5#、6#……
[*]点 [b]只看该作者[/b] 可以只看一个人的发言，点 [b]阅读模式[/b] 只看楼主。
[*]引用回复会带上原帖作者和时间，点一下就能跳回原楼层。
[/list]
管理员账号的密码在第一次 make run 时打印在终端里，只显示一次。"""

NEWS = """\u3000\u3000本周六上午，城东社区在文化广场举办了一场“邻里开放日”，社区民警、物业和居委会的工作人员摆起了咨询台，面对面听取居民的意见。

\u3000\u3000不少居民反映小区门口电动车乱停的问题。社区当场记录下来，并表示会在一个月内增设两处充电车棚。

\u3000\u3000“以前有事不知道找谁，现在一张联系卡就全写清楚了。”住在三号楼的王阿姨说。

\u3000\u3000据了解，开放日以后每月举办一次，下次活动定在月底的周六上午。"""

RECIPE = """## 家常番茄炒蛋

周末在家试了一个**不放糖**的做法，分享给大家：

1. 鸡蛋加一小撮盐打散，热油快炒到七成熟盛出；
2. 番茄切块，小火炒出汁；
3. 倒回鸡蛋，翻匀后撒葱花出锅。

> 关键是番茄要炒到出沙，汤汁才浓。

欢迎大家在楼下晒自己的做法～"""


class Command(BaseCommand):
    help = "Create a small demo forum (boards, threads, an admin whose password is printed once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the forum already has boards",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if Board.objects.exists():
            if if_empty:
                self.stdout.write("The forum already has boards; demo content not added.")
                return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            self._create(password)
        self.stdout.write(self.style.SUCCESS("Demo forum created."))
        self.stdout.write(
            f"Administrator: admin / {password}  (shown only this once; "
            "change it with `luntan changepassword admin`)"
        )

    def _create(self, password: str) -> None:
        site = SiteSettings(
            site_name="luntan 演示论坛", icp_number="", police_filing="", is_demo=True
        )
        site.save()
        if User.objects.filter(username="admin").exists():
            admin = User.objects.get(username="admin")
            admin.set_password(password)
            admin.save(update_fields=["password"])
        else:
            admin = User.objects.create_superuser(
                "admin", "admin@example.com", password, group_id=UserGroup.ADMIN
            )
        members = {
            name: User.objects.get_or_create(
                username=name, defaults={"email": f"{slug}@example.com", "group_id": group}
            )[0]
            for name, slug, group in [
                ("城东小李", "xiaoli", 11),
                ("番茄阿姨", "ayi", 12),
                ("老街摄影", "sheying", 10),
            ]
        }
        for member in members.values():
            member.set_unusable_password()
            member.save(update_fields=["password"])

        life = Board.objects.create(name="本地生活", kind=Board.Kind.CATEGORY, display_order=1)
        hobby = Board.objects.create(name="兴趣交流", kind=Board.Kind.CATEGORY, display_order=2)
        staff = Board.objects.create(name="站务管理", kind=Board.Kind.CATEGORY, display_order=3)
        news = Board.objects.create(
            name="城市新闻",
            parent=life,
            description="本地新闻、转播和便民信息。",
            thread_types_required=True,
        )
        food = Board.objects.create(name="美食天地", parent=life, description="家常菜和街头小吃。")
        photo = Board.objects.create(
            name="摄影天地", parent=hobby, description="晒图、器材和后期。"
        )
        Board.objects.create(
            name="手机摄影", parent=photo, kind=Board.Kind.SUB, description="随手拍。"
        )
        notice = Board.objects.create(name="站务公告", parent=staff, description="论坛公告和建议。")
        local, relay, _info = (
            ThreadType.objects.create(board=news, name=name, display_order=i)
            for i, name in enumerate(["本地新闻", "新闻转播", "便民信息"])
        )

        now = timezone.now()
        li, ayi, photographer = members["城东小李"], members["番茄阿姨"], members["老街摄影"]
        # Written in time order, as a real forum fills up: each post is the newest when
        # the services record it, so every board's last thread / last post is right
        # without a recount (``luntan rebuild_counters --check`` finds no drift).
        welcome = create_thread(
            trust=Trust.MODERATOR,
            board=notice,
            author=admin,
            subject="欢迎来到 luntan 演示论坛",
            body=PostInput(WELCOME),
            now=now - timedelta(days=3),
        )
        stick_thread(
            welcome, actor=admin, level=1, reason="演示论坛说明", now=now - timedelta(days=3)
        )
        story = create_thread(
            trust=Trust.MODERATOR,
            board=news,
            author=li,
            thread_type=relay,
            subject="城东社区举办“邻里开放日”，民警上门听意见",
            body=PostInput(NEWS),
            ip="58.218.204.37",
            now=now - timedelta(days=2, hours=3),
        )
        first = reply(
            trust=Trust.MODERATOR,
            thread=story,
            author=ayi,
            body=PostInput("电动车的事终于有人管了。\n希望说到做到!"),
            ip="222.215.231.86",
            now=now - timedelta(days=2, hours=2, minutes=50),
        )
        reply(
            trust=Trust.MODERATOR,
            thread=story,
            author=li,
            body=PostInput("会跟进的，下个月再来报道 :)"),
            quote=first,
            ip="58.218.204.37",
            now=now - timedelta(days=2, hours=2),
        )
        create_thread(
            trust=Trust.MODERATOR,
            board=news,
            author=li,
            thread_type=local,
            subject="下周起公交 12 路调整发车时间",
            body=PostInput("早班车提前到 [color=#c00]6:10[/color] 发车，末班车推迟到 22:30。"),
            ip="222.213.201.77",
            now=now - timedelta(days=1),
        )
        recipe = create_thread(
            trust=Trust.MODERATOR,
            board=food,
            author=ayi,
            subject="不放糖的番茄炒蛋，你们试过吗？",
            body=PostInput(RECIPE, "markdown"),
            ip="125.70.13.146",
            now=now - timedelta(hours=20),
        )
        reply(
            trust=Trust.MODERATOR,
            thread=story,
            author=photographer,
            body=PostInput("[b]顶[/b]，开放日那天我也去拍了几张。"),
            ip="222.213.205.118",
            now=now - timedelta(hours=5),
        )
        reply(
            trust=Trust.MODERATOR,
            thread=recipe,
            author=li,
            body=PostInput("试了，**好吃**！下次加点黑胡椒。", "markdown"),
            now=now - timedelta(hours=2),
        )
        create_thread(
            trust=Trust.MODERATOR,
            board=photo,
            author=photographer,
            subject="傍晚的老街，随手一拍",
            body=PostInput("光线刚好，可惜手有点抖。[i]欢迎拍砖[/i]"),
            ip="222.213.205.118",
            now=now - timedelta(minutes=40),
        )
