"""Contact details and requests to pay outside the marketplace, found in message text.

A pure module (no Django): `detect(text)` returns what it found with positions, and
`mask(text, findings)` hides those parts. Findings come in two strengths:

* hard: the contact itself: an email (also "ivan собака mail точка ru"), a phone number in
  digits or in words ("восемь девятьсот шестнадцать...", "nine one six..."), a messenger
  link or handle (t.me/..., wa.me/..., @handle, live:..., name#1234), a card number, a
  payment link (paypal.me/...). Always reported: a refusal in the same sentence does not
  make a phone number safe to show.
* soft: words asking to move outside ("пиши в телегу", "write me on WhatsApp", "pay me
  directly", "переведи на карту"). Not reported in a sentence that refuses to work outside
  ("I don't work outside the platform", "оплата только через сайт") or right after a
  negation ("не надо переводить на карту").

A messenger's name alone is not a contact: sellers make Telegram bots and Instagram posts.
It counts only next to a word that asks to talk there ("напишите в ватсап", "add me on Skype").
"""

import re
from dataclasses import dataclass

EMAIL = "email"
PHONE = "phone"
MESSENGER = "messenger"
PAYMENT = "payment"
KINDS = (EMAIL, PHONE, MESSENGER, PAYMENT)

# What the recipient sees instead of a hidden part; the page explains it in their language.
MASK = "•••"

_I = re.IGNORECASE


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    hard: bool = True


# --- hard patterns --------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}", _I)

_TLDS = r"(?:com|ru|net|org|io|me|info|biz|ua|by|kz|su|рф|co|uk|de|fr|us|pro|online|site|dev|app|email|mail)"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
_EMAIL_WORDS_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]{2,}"
    rf"(?:\s*{_OPEN}\s*(?:at|собака|собачка)\s*{_CLOSE}\s*|\s+(?:at|собака|собачка)\s+|\s*@\s+|\s+@\s*)"
    r"[\w-]+"
    rf"(?:\s*{_OPEN}\s*(?:dot|точка|тчк)\s*{_CLOSE}\s*|\s+(?:dot|точка|тчк)\s+|\s*\.\s*)"
    rf"{_TLDS}\b",
    _I,
)

_MESSENGER_HOSTS = (
    r"t\.me|telegram\.me|telegram\.dog|wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|whatsapp\.com"
    r"|vk\.com|vk\.me|m\.vk\.com|vk\.cc|vkontakte\.ru|ok\.ru|discord\.gg|discord\.com|discordapp\.com"
    r"|instagram\.com|instagr\.am|facebook\.com|fb\.com|fb\.me|m\.me|viber\.com|invite\.viber\.com|viber\.click"
    r"|skype\.com|join\.skype\.com|icq\.im|teams\.microsoft\.com"
)
_PAYMENT_HOSTS = (
    r"paypal\.me|paypal\.com|qiwi\.com|qiwi\.me|yoomoney\.ru|money\.yandex\.ru|boosty\.to|donationalerts\.com"
    r"|tinkoff\.ru/(?:rm|cf|sl)|tbank\.ru/(?:rm|cf|sl)|pay\.cloudtips\.ru|qr\.nspk\.ru|buymeacoffee\.com|ko-fi\.com"
    r"|patreon\.com|venmo\.com|cash\.app|payoneer\.com|wise\.com/pay"
)
_LINK_TAIL = r"(?:/[^\s<>\"')\]]*)?"
_MESSENGER_LINK_RE = re.compile(rf"(?<![\w.-])(?:https?://)?(?:www\.)?(?:{_MESSENGER_HOSTS}){_LINK_TAIL}", _I)
_PAYMENT_LINK_RE = re.compile(rf"(?<![\w.-])(?:https?://)?(?:www\.)?(?:{_PAYMENT_HOSTS}){_LINK_TAIL}", _I)
_MESSENGER_SCHEME_RE = re.compile(r"\b(?:tg|viber|whatsapp|skype|discord)://\S+|\bskype:[\w.:-]+|\blive:[\w.-]{3,}", _I)
_DISCORD_TAG_RE = re.compile(r"(?<![\w#])[\w.]{2,32}#\d{4}(?!\d)")
_CONTACT_REQUEST_RE = re.compile(
    r"\b(?:скинь|кинь|дай|оставь|пришли|напиши|отправь|сбрось)(?:те)?\s+(?:мне\s+)?(?:сво[йюи]\s+|тво[йюи]\s+|ваш[у]?\s+)?"
    r"(?:номер\w*|телефон\w*|контакт\w*|почт[уы]|e-?mail|мыло|телег\w*|телеграм\w*|ватсап\w*|вотсап\w*)"
    r"|\b(?:send|give|share|drop|leave|tell)\s+(?:me\s+)?(?:your\s+)(?:phone|number|contacts?|e-?mail|whatsapp"
    r"|telegram|skype|socials?)\b",
    _I,
)
_HANDLE_RE = re.compile(r"(?<![\w@.+-])@[A-Za-z][A-Za-z0-9_.]{3,31}(?<!\.)")

# Digits with the separators people type in phone numbers; checked one by one below.
_DIGIT_RUN_RE = re.compile(r"(?<![\w#№/.,:])\+?[\d(][\d\s\u00a0().\-–—]{5,}[\d)]")
_DATE_RE = re.compile(r"(?<!\d)(?:\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?!\d)")
_IPV4_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_MONEY_AFTER_RE = re.compile(r"^\s?(?:₽|руб|р\.|р\b|rub|\$|€|usd|eur|тыс|k\b|млн|%)", _I)
_MONEY_BEFORE_RE = re.compile(r"[$€₽]\s?$")
# Long numbers that are not phones: tax ids, order and article numbers.
_NOT_PHONE_LABEL_RE = re.compile(
    r"(?:инн|огрн\w*|кпп|бик|окпо|isbn|заказ\w*|order|артикул\w*|№|р/с|к/с|сч[её]т\w*|invoice|id|tracking|трек\w*)"
    r"\s*[:#№-]?\s*$",
    _I,
)
_CARD_GROUPS_RE = re.compile(r"^\d{4}(?:[\s\u00a0-]\d{4}){2,3}(?:[\s\u00a0-]\d{1,3})?$")


def _digit_runs(text: str) -> list[Finding]:
    found = []
    for match in _DIGIT_RUN_RE.finditer(text):
        run = match.group().rstrip("(").rstrip()
        start = match.start()
        if run.endswith(")") and run.count("(") < run.count(")"):
            run = run[:-1]
        digits = re.sub(r"\D", "", run)
        if re.search(r"\D{4,}", run) or _DATE_RE.search(run) or _IPV4_RE.match(run):
            continue
        end = start + len(run)
        if _MONEY_AFTER_RE.match(text[end:]) or _MONEY_BEFORE_RE.search(text[:start]):
            continue
        if _NOT_PHONE_LABEL_RE.search(text[max(0, start - 20) : start]) and len(digits) < 13:
            continue
        if 13 <= len(digits) <= 19 and (_CARD_GROUPS_RE.match(run) or digits == run):
            found.append(Finding(PAYMENT, start, end, run))
        elif 10 <= len(digits) <= 15:
            found.append(Finding(PHONE, start, end, run))
    return found


# Phone numbers in words: "восемь девятьсот шестнадцать сто двадцать три...", "nine one six...".
_UNITS = {
    "ноль": 0, "нуль": 0, "один": 1, "одна": 1, "одно": 1, "два": 2, "две": 2, "три": 3, "четыре": 4,
    "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15,
    "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
    "восемьдесят": 80, "девяносто": 90,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_HUNDREDS = {
    "сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600,
    "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
}  # fmt: skip
_PLUS_WORDS = {"плюс", "plus"}
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")
_GAP_RE = re.compile(r"^[\s,.\-–—()+/]{0,3}$")


class _SpokenNumber:
    """Counts the digits a run of number words stands for: "девятьсот шестнадцать" is 916, three digits."""

    def __init__(self):
        self.digits = 0
        self.words = 0
        self.group: int | None = None
        self.may_follow: set[str] = set()

    def _close(self) -> None:
        if self.group is not None:
            self.digits += len(str(self.group))
        self.group, self.may_follow = None, set()

    def add_word(self, word: str) -> None:
        self.words += 1
        for kind, table, follow in (
            ("hundreds", _HUNDREDS, {"tens", "teens", "units"}),
            ("tens", _TENS, {"units"}),
            ("teens", _TEENS, set()),
            ("units", _UNITS, set()),
        ):
            if word in table:
                if self.group is not None and kind in self.may_follow:
                    self.group += table[word]
                    self.may_follow = follow
                else:
                    self._close()
                    self.group, self.may_follow = table[word], follow
                return
        if word == "hundred" and self.group is not None and self.group < 10:
            self.group *= 100
            self.may_follow = {"tens", "teens", "units"}

    def add_digits(self, digits: str) -> None:
        self._close()
        self.digits += len(digits)

    def total(self) -> int:
        self._close()
        return self.digits


def _is_number_word(word: str) -> bool:
    return word in _UNITS or word in _TEENS or word in _TENS or word in _HUNDREDS or word == "hundred"


def _spoken_numbers(text: str) -> list[Finding]:
    found = []
    lowered = text.lower()
    run: list[re.Match] = []

    def flush():
        words = [m for m in run if not m.group().isdigit()]
        if len([m for m in words if _is_number_word(m.group())]) >= 2:
            counter = _SpokenNumber()
            for m in run:
                if m.group().isdigit():
                    counter.add_digits(m.group())
                elif m.group() not in _PLUS_WORDS:
                    counter.add_word(m.group())
            if counter.total() >= 7:
                start, end = run[0].start(), run[-1].end()
                found.append(Finding(PHONE, start, end, text[start:end]))
        run.clear()

    for match in _TOKEN_RE.finditer(lowered):
        piece = match.group()
        joins = not run or _GAP_RE.match(lowered[run[-1].end() : match.start()])
        if not joins:
            flush()
        if piece.isdigit() or _is_number_word(piece) or (piece in _PLUS_WORDS and not run):
            if piece == "oh" and not run:
                continue
            run.append(match)
        else:
            flush()
    flush()
    return found


# --- soft patterns ------------------------------------------------------------------------

_MESSENGER_NAME_RE = re.compile(
    r"\b(?:telegram\w*|телеграм\w*|tg|тг|тгк"
    r"|whats\s?app\w*|what'?s\s?app|ватс?апп?\w*|вотс?апп?\w*|вацапп?\w*|воцапп?\w*"
    r"|skype|скайп\w*|viber|вайбер\w*|вибер\w*|vk|вк|вконтакт\w*|vkontakte"
    r"|discord|дискорд\w*|instagram|insta|инстаграмм?\w*|инст[аеуы]|facebook|фейсбук\w*|icq|аськ\w*)\b",
    _I,
)
# Slang for Telegram is only ever used for talking there: no asking word needed.
_TELEGRAM_SLANG_RE = re.compile(r"\b(?:телег[аеиуо]й?|тележ?к[ау])\b", _I)

# (words that ask to talk somewhere, how many words may stand between them and the name)
_ASK_BEFORE = [
    (r"(?:на)?пиши(?:те)?|отпиши(?:те)?(?:сь)?|(?:на)?писать|(?:на)?пишу\s+(?:тебе|вам)|(?:на)?пишем|свяж\w*"
     r"|связ(?:ь|и|ься|аться|ываться|ываемся)|(?:по)?стучи(?:те)?(?:сь)?|добавь(?:те)?(?:сь)?|добавляй(?:ся|тесь)?"
     r"|добавлю\s+(?:тебя|вас)|скинь(?:те)?|кинь(?:те)?|найди(?:те)?|найти|ищи(?:те)?|давай(?:те)?"
     r"|перейд(?:ём|ем|ите|и)|переход\w*|перейти|пойд(?:ём|ем)|общ(?:аться|аемся|аюсь|ение|енье)|созвон\w*"
     r"|(?:по)?звони(?:те)?|ответь(?:те)?|отвечу", 3),
    (r"жду(?:\s+(?:тебя|вас))?", 1),
    (r"мо[йяеёию]\w*|у\s+(?:тебя|вас)\s+есть|есть\s+ли\s+у\s+(?:тебя|вас)|(?:ты|вы)\s+есть", 1),
    (r"ник\w*|логин\w*|nick\w*|handle|username", 2),
    (r"write\s+(?:to\s+)?(?:me|us)|write\s+(?:on|in)|message\s+me|msg\s+me|text\s+me|dm|pm\s+me|ping\s+me|add\s+me"
     r"|contact\s+me|reach\s+(?:me|out)|find\s+me|hit\s+me\s+up|call\s+me|let'?s|lets|switch\s+(?:to|over)"
     r"|continue\s+(?:on|in|via|with)|follow\s+me|connect\s+(?:on|via)|are\s+you\s+on|do\s+you\s+(?:have|use)", 4),
    (r"(?:go|move|talk|chat|speak|meet|text)\s+(?:over\s+)?(?:to|on|in|via)", 1),
    (r"my", 1),
]  # fmt: skip
_ASK_BEFORE_RES = [re.compile(rf"(?:^|\b)(?:{words})(?:\W+\w+){{0,{gap}}}\W*$", _I) for words, gap in _ASK_BEFORE]
_ASK_AFTER_RE = re.compile(
    r"^\W{0,3}(?:me\b|ник\w*|логин\w*|nick\w*|handle|username|id\b|номер\w*|number|мой\s+(?:ник|номер|логин)"
    r"|my\s+(?:handle|username|number|id|nick))",
    _I,
)

# Asking someone to pay, not describing a payment feature ("подключу оплату на карту" is a service).
_RU_PAY_VERB = (
    r"(?:перев[еёо]д\w*|перевест\w*|переки\w*|скинь\w*|скину|кинь\w*|закин\w*|отправь\w*|отправлю|оплат[аи]|оплатите"
    r"|оплачу|оплатишь|заплат\w*|плати(?:те)?|расплат\w*|рассчита\w*|деньг\w*|предоплат\w*)"
)
_RU_PAY_TARGET = (
    r"(?:карт[уаеы]\w*|карточк\w*|сбер\w*|тинько?ф+\w*|т-?банк\w*|альф[уае]\w*|втб|киви|qiwi|юмани|ю-?money|yoomoney"
    r"|яндекс[\s.-]?деньг\w*|кошел[её]к\w*|кошельк\w*|сч[её]т\b|номер\s+телефона|телефон\b|сбп|paypal|пэйпал\w*"
    r"|крипт\w*|usdt|биткоин\w*)"
)
_RU_PLATFORM = r"(?:сайт\w*|площадк\w*|бирж\w*|кворк\w*|платформ\w*|сервис\w*|безопасн\w+\s+сделк\w*)"
_EN_PAY_TARGET = (
    r"(?:paypal|wise|transferwise|payoneer|venmo|cash\s?app|zelle|revolut|crypto\w*|bitcoin|btc|usdt|ethereum"
    r"|western\s+union|bank\s+(?:transfer|account)|skrill|qiwi|iban|sberbank|sber|tinkoff"
    r"|(?:my|your)\s+(?:\w+\s+)?(?:card|account|wallet))"
)
_EN_PLATFORM = r"(?:site|platform|marketplace|website|kwork|fiverr|upwork)"

_PAYMENT_RES = [
    re.compile(p, _I)
    for p in (
        rf"\b{_RU_PAY_VERB}(?:\s+\S+){{0,3}}?\s+(?:на|по|через|в)\s+(?:мою\s+|мой\s+|свою\s+|свой\s+)?{_RU_PAY_TARGET}",
        r"\bномер\w*\s+(?:моей\s+|своей\s+)?карт\w*|\bреквизит\w*\s+(?:карт\w*|для\s+(?:оплат|перевод)\w*)"
        r"|\b(?:мои|скину|пришлю|отправлю|вот)\s+реквизит\w*",
        r"\b(?:оплат\w*|плат\w*|работ\w*|сотруднич\w*|договор\w*|сделк\w*|рассчит\w*|расч[её]т\w*|деньг\w*|общ\w*)"
        rf"(?:\s+\S+){{0,2}}?\s+(?:напрямую|мимо\s+\w+|вне\s+{_RU_PLATFORM}|в\s+обход\s+\w+"
        rf"|без\s+(?:{_RU_PLATFORM}|посредник\w*|комисси\w*))",
        r"\bнапрямую(?:\s+\S+){0,2}?\s+(?:" + _RU_PAY_VERB[3:-1] + r"|работ\w*|сотруднич\w*)",
        r"\bдавай\w*\s+(?:\S+\s+)?напрямую",
        r"\b(?:в\s+обход|мимо)\s+(?:" + _RU_PLATFORM + r"|комисси\w*)",
        r"\bбез\s+комисси\w+\s+" + _RU_PLATFORM,
        r"\bне\s+через\s+" + _RU_PLATFORM,
        r"\b(?:оплат\w*|плат\w*|расч\w*)(?:\s+\S+)?\s+(?:наличн\w*|налом|криптой|крипт\w*|usdt|биткоин\w*|btc)",
        r"\bpay\w*(?:\s+\S+){0,2}?\s+(?:directly|direct|outside|off[- ]platform|off\s+the\s+" + _EN_PLATFORM + ")",
        rf"\b(?:pay|send|transfer|wire)\w*(?:\s+\S+){{0,4}}?\s+(?:via|through|by|with|on|to|into|using|over)\s+"
        rf"(?:my\s+|your\s+)?{_EN_PAY_TARGET}\b",
        rf"\b(?:accept|take)\w*(?:\s+\S+){{0,2}}?\s+{_EN_PAY_TARGET}\b",
        r"\bdirect\s+payment",
        rf"\boutside\s+(?:of\s+)?(?:the\s+|this\s+)?{_EN_PLATFORM}\b|\boff[- ](?:platform|site)\b",
        r"\b(?:avoid|skip|save\s+on|bypass)\s+(?:the\s+)?(?:platform\s+|site\s+|service\s+|marketplace\s+)?"
        r"(?:fee|fees|commission)\b|\b(?:without|no)\s+(?:the\s+)?(?:platform|site|service|marketplace)\s+"
        r"(?:fee|fees|commission)\b",
        r"\b(?:paypal|venmo|zelle|cash\s?app|payoneer)\s+me\b|\bmy\s+(?:paypal|venmo|zelle|payoneer|wise|revolut|iban"
        r"|bank\s+account|card\s+number|crypto\s+wallet|wallet\s+address|btc\s+address)\b",
        r"\b(?:work|deal|continue|contract|trade)\w*(?:\s+\S+){0,2}?\s+(?:directly|off[- ]platform)\b",
        r"\bnot\s+through\s+(?:the\s+)?" + _EN_PLATFORM,
    )
]

# --- refusals -----------------------------------------------------------------------------------

_NEGATION_BEFORE_RE = re.compile(
    r"(?:^|\b)(?:не|нельзя|нет|never|not|no\s+need\s+to|don'?t|do\s+not|won'?t|can'?t|cannot)(?:\W+\w+){0,2}\W*$",
    _I,
)
_RU_NEG = r"(?:не|нельзя|запрещ\w*|никогда)"
_EN_NEG = r"(?:don'?t|do\s+not|won'?t|will\s+not|never|can'?t|cannot|not\s+allowed\s+to|not|am\s+not)"
_RU_OUTSIDE = r"(?:вне|мимо|в\s+обход|напрямую|за\s+предел\w+|на\s+сторон\w+)"
_EN_OUTSIDE = rf"(?:outside|off[- ]platform|off\s+the\s+{_EN_PLATFORM}|directly|elsewhere|bypass\w*)"
_REFUSAL_RES = [
    re.compile(p, _I)
    for p in (
        rf"\b{_RU_NEG}\s+(?:\w+\s+){{0,2}}?(?:работ|оплач|принима|бер|беру|возьм|общ|перевод|переход|перейд|"
        rf"сотруднич|свяж|выход|ид[уём]|пойд|рассчит|договар)\w*[^.!?]{{0,120}}?{_RU_OUTSIDE}",
        rf"\b(?:только|исключительно|вс[её])\s+(?:\S+\s+){{0,2}}?(?:через|на|по|в\s+рамках)\s+"
        rf"(?:этот\s+|этом\s+|эту\s+)?(?:{_RU_PLATFORM}|gigmarket\w*)",
        r"\bчерез\s+безопасн\w+\s+сделк\w*",
        r"\b(?:общ\w*|переписк\w*|оплат\w*|работ\w*)\s+(?:\S+\s+)?(?:только\s+)?(?:здесь|тут|в\s+этом\s+чате)\b",
        rf"\b{_EN_NEG}\s+(?:\w+\s+){{0,2}}?(?:work|pay|accept|take|deal|share|give|communicat|talk|chat|move|go|"
        rf"transfer|send|contact|meet|do|operate|trade|sell)\w*[^.!?]{{0,120}}?{_EN_OUTSIDE}",
        rf"\bonly\s+(?:\S+\s+){{0,2}}?(?:through|via|on|here\s+on|within)\s+(?:the\s+|this\s+)?"
        rf"(?:{_EN_PLATFORM}|safe\s+deal|escrow)",
        rf"\b(?:keep|stay)\s+(?:\S+\s+){{0,3}}?(?:here|on\s+the\s+{_EN_PLATFORM})",
    )
]
_CONTACT_WORD_RE = re.compile(
    r"\b(?:контакт\w*|номер\w*|телефон\w*|почт\w*|соцсет\w*|мессенджер\w*|contacts?|phone|numbers?|e-?mails?"
    r"|socials?|messengers?|details)\b",
    _I,
)
_SHARE_WORD_RE = re.compile(
    r"\b(?:дава\w*|да[юмв]\w*|дел\w*|обмен\w*|оставл\w*|присыл\w*|публику\w*|share|give|send|exchange|post|forbid\w*)\b",
    _I,
)
_SHARE_NEG_RE = re.compile(rf"\b(?:{_RU_NEG}|{_EN_NEG}|правил\w*|rules?)\b", _I)
# The name people give right after a messenger: "мой скайп ivan.petrov88", "телега: ivan".
_NAME_AFTER_RE = re.compile(r"^(?:\s*[:\-–—]\s*@?[A-Za-z][\w.]{1,31}|\s+@?[A-Za-z][A-Za-z]*[\d_.][\w.]*)")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+|\n+")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_refusal(sentence: str) -> bool:
    if any(r.search(sentence) for r in _REFUSAL_RES):
        return True
    # "Sorry, I can't share contacts": refusing to give contacts is a refusal too.
    return bool(
        _CONTACT_WORD_RE.search(sentence) and _SHARE_WORD_RE.search(sentence) and _SHARE_NEG_RE.search(sentence)
    )


def _asks_to_talk_there(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 80) : start]
    return any(r.search(before) for r in _ASK_BEFORE_RES) or bool(_ASK_AFTER_RE.match(sentence[end : end + 40]))


def _soft_findings(text: str) -> list[Finding]:
    found = []
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        if not sentence.strip() or _is_refusal(sentence):
            continue
        candidates = []
        for match in _MESSENGER_NAME_RE.finditer(sentence):
            if _asks_to_talk_there(sentence, match.start(), match.end()):
                candidates.append((MESSENGER, match.start(), match.end()))
        for match in _TELEGRAM_SLANG_RE.finditer(sentence):
            candidates.append((MESSENGER, match.start(), match.end()))
        for match in _CONTACT_REQUEST_RE.finditer(sentence):
            candidates.append((MESSENGER, match.start(), match.end()))
        for pattern in _PAYMENT_RES:
            for match in pattern.finditer(sentence):
                candidates.append((PAYMENT, match.start(), match.end()))
        for kind, start, end in candidates:
            if _NEGATION_BEFORE_RE.search(sentence[max(0, start - 40) : start]):
                continue  # "не надо переводить на карту", "no need to pay directly"
            if kind == MESSENGER and (name := _NAME_AFTER_RE.match(sentence[end : end + 40])):
                end += name.end()
            found.append(Finding(kind, s_start + start, s_start + end, text[s_start + start : s_start + end], False))
    return found


def _hard_findings(text: str) -> list[Finding]:
    found = []
    for pattern, kind in (
        (_EMAIL_RE, EMAIL),
        (_EMAIL_WORDS_RE, EMAIL),
        (_MESSENGER_LINK_RE, MESSENGER),
        (_PAYMENT_LINK_RE, PAYMENT),
        (_MESSENGER_SCHEME_RE, MESSENGER),
        (_DISCORD_TAG_RE, MESSENGER),
        (_HANDLE_RE, MESSENGER),
    ):
        found += [Finding(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    return found + _digit_runs(text) + _spoken_numbers(text)


def detect(text: str) -> list[Finding]:
    """Everything in `text` that shares a contact or asks to pay outside, in text order,
    without overlaps (where two findings overlap, the longer one is kept)."""
    if not text:
        return []
    candidates = sorted(_hard_findings(text) + _soft_findings(text), key=lambda f: (-(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in candidates:
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


def kinds(findings: list[Finding]) -> list[str]:
    """The distinct kinds found, in a stable order: what a message's `flags` store."""
    present = {f.kind for f in findings}
    return [kind for kind in KINDS if kind in present]


def mask(text: str, findings: list[Finding]) -> str:
    """`text` with every finding replaced by MASK."""
    out, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        out.append(text[position : finding.start])
        out.append(MASK)
        position = finding.end
    out.append(text[position:])
    return "".join(out)
