"""Chinese forum text for the benchmark data generator: words, names, subjects and posts.

Everything here is seeded through the ``random.Random`` passed in, so the same seed gives
the same site. Lengths are in characters (one CJK character is three UTF-8 bytes).
"""

from __future__ import annotations

import random

# Nouns and noun phrases of a local community forum (生活、数码、汽车、房产、美食 …).
NOUNS = (
    "手机 电脑 显卡 主板 路由器 宽带 小区 物业 房价 学区房 地铁 公交 高铁 机场 火车票 驾照 "
    "新车 二手车 电动车 充电桩 油价 保险 停车位 装修 瓷砖 地板 橱柜 空调 热水器 冰箱 "
    "洗衣机 孩子 幼儿园 小学 中考 高考 大学 考研 公务员 工资 社保 公积金 医保 医院 挂号 "
    "体检 牙医 火锅 烧烤 小龙虾 奶茶 咖啡 早餐店 菜市场 超市 外卖 快递 老街 公园 博物馆 "
    "图书馆 古镇 夜市 景区 门票 周末 假期 天气 台风 暴雨 雾霾 温度 春节 中秋 国庆 "
    "猫咪 狗狗 宠物医院 钓鱼 跑步 羽毛球 篮球 足球 健身房 游泳馆 摄影 镜头 相机 无人机 "
    "小说 电影 电视剧 综艺 音乐会 演唱会 游戏 主机 键盘 鼠标 耳机 显示器 硬盘 内存 "
    "系统 软件 补丁 论坛 版主 帖子 楼主 沙发 板凳 积分 勋章 头像 签名 表情 网友 老乡 "
    "邻居 同事 领导 客户 老板 房东 中介 师傅 厨师 司机 医生 老师 学生 家长 "
    "政策 通知 新闻 消息 活动 比赛 报名 攻略 经验 教程 问题 办法 价格 质量 服务"
).split()

VERBS = (
    "推荐 分享 求助 请教 讨论 吐槽 打听 咨询 转让 出售 收购 团购 拼车 组队 报名 参加 "
    "体验 测评 对比 选择 购买 维修 安装 更换 升级 办理 申请 预约 排队 投诉 表扬 感谢 "
    "关注 支持 反对 了解 发现 觉得 希望 建议 担心 期待 记录 整理 总结 拍摄 上传 下载"
).split()

ADJECTIVES = (
    "不错 一般 靠谱 实惠 便宜 贵 方便 麻烦 干净 热闹 安静 新鲜 好吃 难吃 正宗 地道 "
    "专业 热心 耐心 快 慢 稳定 清楚 详细 简单 复杂 重要 紧急 奇怪 有趣 难得 划算"
).split()

PLACES = (
    "徐州 南京 苏州 无锡 常州 扬州 成都 绵阳 德阳 宜宾 杭州 宁波 温州 合肥 芜湖 "
    "武汉 长沙 郑州 洛阳 济南 青岛 西安 重庆 昆明 贵阳 南宁 广州 深圳 厦门 福州"
).split()

ADVERBS = "真的 确实 已经 马上 终于 一直 还是 其实 大概 特别 比较 非常 有点 稍微 刚刚".split()

PARTICLES = ("了", "的", "吧", "呢", "啊", "哈", "呀", "")

SUBJECT_PATTERNS = (
    "【求助】{place}哪里{verb}{noun}比较{adj}？",
    "【分享】{verb}{noun}的一点{noun2}",
    "{place}的{noun}{adv}{adj}{part}",
    "{noun}和{noun2}怎么选？",
    "今天去{place}{verb}{noun}，{adj}！",
    "【讨论】大家觉得{noun}{adj}吗",
    "有没有懂{noun}的网友？急！",
    "{verb}{noun}，{adv}{adj}{part}",
    "【转让】九成新{noun}，价格{adj}",
    "{place}{noun}最新{noun2}汇总",
    "关于{noun}的{noun2}，请版主置顶",
    "周末{place}{verb}{noun}，有一起的吗",
)

NAME_HEADS = (
    "小 老 阿 大 胖 瘦 笨 乖 萌 酷 甜 咸 野 懒 快乐 孤独 清风 明月 流浪 深海 星空 "
    "南山 北岛 西城 东街 江南 塞北 青衫 白衣 红豆 绿茶 橘子 柠檬 西瓜 土豆 番茄 "
    "Tom Amy Leo Max Kiki Coco Lucky Sunny"
).split()

NAME_TAILS = (
    "猫 狗 熊 兔 鱼 虾 鸟 鹿 龙 虎 侠 仙 哥 姐 叔 妹 君 生 人 客 "
    "同学 师傅 老师 小子 丫头 先生 大人 居士 少年 青年"
).split()

SMILIES = (":)", ":(", ":D", ";P", ":lol:", ":handshake")


def _fill(rng: random.Random, pattern: str) -> str:
    return pattern.format(
        place=rng.choice(PLACES),
        noun=rng.choice(NOUNS),
        noun2=rng.choice(NOUNS),
        verb=rng.choice(VERBS),
        adj=rng.choice(ADJECTIVES),
        adv=rng.choice(ADVERBS),
        part=rng.choice(PARTICLES),
    )


def subject(rng: random.Random) -> str:
    """Return a thread subject of about 8–30 characters (never over 80)."""
    return _fill(rng, rng.choice(SUBJECT_PATTERNS))[:80]


def username(rng: random.Random, index: int) -> str:
    """Return a unique nickname (≤ 15 characters) for member number ``index``."""
    return f"{rng.choice(NAME_HEADS)}{rng.choice(NAME_TAILS)}{index}"[-15:]


def sentence(rng: random.Random) -> str:
    """Return one sentence of about 8–30 characters ending in Chinese punctuation."""
    parts = [rng.choice(ADVERBS) if rng.random() < 0.4 else ""]
    for _ in range(rng.randint(1, 3)):
        parts.append(rng.choice(VERBS) if rng.random() < 0.5 else rng.choice(ADJECTIVES))
        parts.append(rng.choice(NOUNS))
        if rng.random() < 0.3:
            parts.append(rng.choice(("，", "、")))
    parts.append(rng.choice(PARTICLES))
    text = "".join(parts).strip("，、")
    return text + rng.choice(("。", "。", "！", "？", "……"))


def post_source(rng: random.Random) -> str:
    """Return a BBCode post body: 1–4 paragraphs, with the tags real posts use.

    About a third of bodies carry [b]/[color]/[url]/[quote]/[img] or a smiley; lengths run
    from one short line (a 沙发 reply) to a few hundred characters.
    """
    paragraphs = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        paragraphs.append("".join(sentence(rng) for _ in range(rng.randint(1, 5))))
    roll = rng.random()
    if roll < 0.08:
        paragraphs[0] = f"[b]{paragraphs[0]}[/b]"
    elif roll < 0.14:
        paragraphs[-1] = f"[color=Red]{paragraphs[-1]}[/color]"
    elif roll < 0.20:
        paragraphs.append(f"[url=https://example.com/{rng.randint(1, 9999)}]详情见这里[/url]")
    elif roll < 0.27:
        quoted = sentence(rng)
        paragraphs.insert(
            0,
            f"[quote][size=2][color=#999999]{username(rng, rng.randint(1, 999))} "
            f"发表于 2024-{rng.randint(1, 12)}-{rng.randint(1, 28)} 10:{rng.randint(10, 59)}"
            f"[/color][/size]\n{quoted}[/quote]",
        )
    elif roll < 0.30:
        paragraphs.append(f"[img]https://example.com/p/{rng.randint(1, 9999)}.jpg[/img]")
    elif roll < 0.36:
        paragraphs[-1] += " " + rng.choice(SMILIES)
    return "\n\n".join(paragraphs)
