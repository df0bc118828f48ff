"""Likely duplicates of a demand, for staff to merge (issue 7).

**Candidates come from an index, never a scan.** Open demands whose place is in the new
demand's neighbourhood (its building; the compound, villager group or courtyard when the
place is a gate or facility not inside a building), reported in the last
:data:`WINDOW_DAYS` days, newest first, at most :data:`CANDIDATES`. The query is one range
on ``demand_place_recent`` (place_path, created_at): its cost follows one building's or
compound's recent volume, never the city's.

**Scoring is a pure function** (:func:`score`) of two texts and whether their categories
match, tuned on ``tests/data/duplicate_pairs.csv``. Residents say the same thing in other
words (声控灯/楼道灯/照明, 漏水/渗水, 垃圾桶/垃圾站), so each text is first put into
canonical words from a small lexicon of what residents report, then cut by jieba. A pair is
a duplicate when it has the same *problem* (坏, 漏水, 满, 吵…) about the same *object* (灯,
电梯, 垃圾…): the hard cases are reports at one entrance that share the place words but not
the problem (楼道灯坏了 vs 楼道堆杂物; 电梯坏了 vs 电梯广告太吵). rapidfuzz compares the
remaining words, which carries what the lexicon does not know.
"""

from __future__ import annotations

import datetime
import logging
import re
import tempfile
import threading
import unicodedata

from django.db.models import Q, QuerySet
from django.utils import timezone
from rapidfuzz import fuzz

from tongxin.core.models import Place
from tongxin.core.tree import ancestor_paths
from tongxin.demands import rules
from tongxin.demands.models import Demand

WINDOW_DAYS = 14
CANDIDATES = 100
SHOWN = 5
#: Chosen on the labelled set (``tests/test_duplicates.py`` prints precision and recall).
THRESHOLD = 0.67
CLOSED_STATES = sorted(set(rules.STATES) - rules.OPEN_STATES)
#: Kinds whose whole subtree is one neighbourhood for a place that is not inside a building.
AREA_KINDS = ("compound", "villager_group", "courtyard", "village")

# Canonical word ← what residents write (longest match wins). Problems and objects apart:
# a duplicate shares the problem, and the object when both texts name one.
PROBLEMS = {
    "坏": "坏了 坏 不亮 不灵 失灵 故障 没反应 烧了 不动 停了 停运 不好使 刷不开 关不上 不牢 松了 破了 碎了 损坏 "
         "抬不起来 断了 打不开",
    "漏水": "漏水 渗水 滴水 漏雨 冒水 往外冒 返水 湿了 泡了 爆了 冒出来 渗",
    "漏气": "泄漏 漏气 燃气味 煤气味",
    "满": "满了 溢出 溢 满得 没人收 没人倒 没倒 没人清理 没人拉 没清",
    "杂物": "杂物 纸箱子 纸箱 纸壳子 纸壳 旧家具 东西 破烂 堆满 堆着 堆了 堆",
    "停车": "停车 乱停 占道 车位 私家车 堵死 被占 占了",
    "僵尸车": "僵尸车 破车 废弃车 好久没动 没动过",
    "吵": "太吵 吵 噪音 太响 声音太大 轰轰 扰民",
    "异响": "异响 哐哐 咣当 哐当",
    "臭": "臭气熏天 臭 味道大 味道太大 尿骚味 恶心 异味",
    "堵": "堵了 堵塞 赌了 不通 堵",
    "充电": "充电 飞线 拉电线",
    "没水": "停水 没水 没有水",
    "停电": "停电 没电",
    "困人": "困人 困住 关在里面 出不来",
    "闪": "忽明忽暗 一闪一闪 闪烁 闪",
    "狗屎": "狗屎 狗粪 狗便",
    "拴绳": "拴绳 牵绳 栓绳",
    "碰": "碰到 压着 挨着",
    "老鼠": "耗子 老鼠",
    "消杀": "打药 消杀 蚊虫 蚊子",
    "打扫": "打扫 保洁 很脏 扫 灰",
    "不热": "不热 冰凉 冰冷",
    "丢": "丢了 没了 丢 被偷",
    "装修": "装修 电钻",
    "高空抛物": "高空抛物 往下扔 扔东西",
    "火灾隐患": "消防隐患 火灾隐患 着火 起火",
    "黑": "黑乎乎 黑漆漆 看不见 看不清 黑",
}
OBJECTS = {
    "灯": "声控灯 楼道灯 楼梯灯 照明灯 灯泡 照明 电灯 路灯 盏灯 等坏 灯",  # 等: the pinyin typo of 灯
    "电梯": "电梯 轿厢 升降机 的梯 梯坏",
    "楼道": "楼梯间 楼梯 过道 走廊 楼道",  # a place word (楼梯 must not read as 电梯)
    "垃圾": "垃圾桶 垃圾站 垃圾房 垃圾箱 垃圾 垃圾通 渣土",
    "道闸": "道闸 栏杆 杆子",
    "下水道": "下水道 下水 污水 臭水",
    "管道": "水管 管子 管道",
    "电动车": "电动车 电瓶车",
    "门禁": "门禁卡 门禁 刷卡 门锁",
    "燃气": "煤气 燃气 天然气",
    "狗": "流浪狗 野狗 狗",
    "树": "大树 树枝 树 枝子",
    "绿地": "草坪 草地 绿化带 绿地",
    "暖气": "暖气片 暖气",
    "井盖": "窨井盖 井盖",
    "消防栓": "消防栓 消火栓",
    "卫生间": "卫生间 厕所",
    "顶楼": "顶楼 楼顶 屋顶 顶层",
    "车库": "地下车库 车库里 车库",
}
_CANON = {surface: word for table in (PROBLEMS, OBJECTS) for word, surfaces in table.items()
          for surface in surfaces.split()}
_SURFACE = re.compile("|".join(re.escape(s) for s in sorted(_CANON, key=len, reverse=True)))
_PROBLEM_WORDS = frozenset(PROBLEMS)
_OBJECT_WORDS = frozenset(OBJECTS) - {"楼道"}
#: Words that say where or how, not what: every report at one entrance shares them.
STOP = frozenset(
    "了 的 啊 吧 呢 吗 呀 都 也 很 太 好 就 还 又 在 是 有 我 我们 我家 家 人 一 个 那 这 里 里面 一直 好几天 几天 天 "
    "麻烦 请 一下 能不能 怎么 什么 没 晚上 白天 楼道 单元 楼 栋 号楼 门口 小区 楼下 楼上 下面 那边 "
    "到 给 把 被 不 上 下 时候 老是 总 总是 经常 整夜 半夜 来 去 看 修 修一下 快 已经 大 多 好多 到处 前面".split()
)
_FLOOR = re.compile(r"[0-9一二三四五六七八九十]+(?=[楼栋单号层])")  # 3单元5楼: where, not what

_tokenizer = None
_lock = threading.Lock()


def _jieba():
    """jieba's tokenizer, loaded once per process (about a second: it builds its prefix
    dictionary, cached in the temporary folder) and quiet (it logs to stderr by default)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.tmp_dir = tempfile.gettempdir()  # the checkout may be read-only
                tokenizer.initialize()
                for word in (*PROBLEMS, *OBJECTS):
                    tokenizer.add_word(word)
                _tokenizer = tokenizer
    return _tokenizer


def words(text: str) -> list[str]:
    """The words that say what the problem is: canonical, without place words and particles."""
    text = _FLOOR.sub("", unicodedata.normalize("NFKC", text or "").lower())
    text = re.sub(r"[\W\d_]+", " ", text)
    text = _SURFACE.sub(lambda m: f" {_CANON[m.group(0)]} ", text)
    # Without HMM, an unknown run stays single characters instead of a guessed word (灯坏).
    return [w for w in _jieba().lcut(text, HMM=False) if w.strip() and w not in STOP]


def _agree(x: set[str], y: set[str]) -> float:
    """1 when both name one in common, 0 when both name some and none in common, ½ unknown."""
    if x and y:
        return 1.0 if x & y else 0.0
    return 0.5


def score(a_text: str, b_text: str, same_category: bool) -> float:
    """How likely two reports are the same problem, 0..1 (:data:`THRESHOLD` decides)."""
    a, b = words(a_text), words(b_text)
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    overlap = fuzz.token_set_ratio(" ".join(a), " ".join(b)) / 100
    chars = fuzz.ratio("".join(sorted(sa)), "".join(sorted(sb))) / 100
    return (0.35 * overlap + 0.15 * chars + 0.1 * same_category
            + 0.3 * _agree(sa & _PROBLEM_WORDS, sb & _PROBLEM_WORDS)
            + 0.1 * _agree(sa & _OBJECT_WORDS, sb & _OBJECT_WORDS))


def neighbourhood(place: Place) -> Place:
    """Where a duplicate can be: the place's building; else the compound (villager group,
    courtyard, village) for a gate or facility; else the place itself. One query."""
    chain = [*Place.objects.filter(path__in=ancestor_paths(place.path)).order_by("path"), place]
    building = next((p for p in reversed(chain) if p.kind == "building"), None)
    if building is not None:
        return building
    return next((p for p in reversed(chain) if p.kind in AREA_KINDS), place)


def same_neighbourhood(a: Demand, b: Demand) -> bool:
    """Either is in the other's neighbourhood (a report at an entrance and one at its compound's gate)."""
    x, y = neighbourhood(a.place), neighbourhood(b.place)
    return x.path <= b.place_path < x.path_end or y.path <= a.place_path < y.path_end


def candidates(demand: Demand, around: Place | None = None, *, scope: Q | None = None, now=None) -> QuerySet:
    """The open demands a duplicate check reads: one range of ``demand_place_recent``, capped.

    Open states only (a merged demand is closed, so it is never a candidate). ``scope``
    narrows to the places a user works at (a compound can span two grids)."""
    around = around or neighbourhood(demand.place)
    since = (now or timezone.now()) - datetime.timedelta(days=WINDOW_DAYS)
    # "Not closed" rather than "in the open states": an IN list would let the planner take
    # (state, place_path) instead, eleven range scans that ignore the date.
    found = Demand.objects.filter(place_path__gte=around.path, place_path__lt=around.path_end,
                                  created_at__gte=since).exclude(state__in=CLOSED_STATES)
    if scope is not None:
        found = found.filter(scope)
    return found.exclude(pk=demand.pk).select_related("category", "place").order_by("-created_at")[:CANDIDATES]


def likely_duplicates(demand: Demand, user=None) -> list[tuple[Demand, float]]:
    """Open demands nearby that likely report the same problem, best first, with their score;
    with ``user``, only those at the user's places."""
    if not demand.is_open:
        return []
    scope = None
    if user is not None:
        from tongxin.demands.selectors import places_q

        scope = places_q(user)
    scored = [(d, score(demand.description, d.description, d.category_id == demand.category_id))
              for d in candidates(demand, scope=scope)]
    scored = [(d, s) for d, s in scored if s >= THRESHOLD]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:SHOWN]
