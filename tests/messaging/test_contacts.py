"""The contact detector's tables: what must be caught and what must be left alone."""

import pytest

from messaging import contacts
from messaging.contacts import EMAIL, MESSENGER, PAYMENT, PHONE

# (text, a kind the detector must report, a fragment that must not survive the mask)
POSITIVE = [
    ("Напишите мне на ivan.petrov@gmail.com", EMAIL, "ivan.petrov@gmail.com"),
    ("my email is john.doe+work@yahoo.co.uk, write any time", EMAIL, "john.doe+work@yahoo.co.uk"),
    ("пиши на почту ivan собака mail точка ru", EMAIL, "mail точка ru"),
    ("contact me: john (at) gmail (dot) com", EMAIL, "gmail (dot) com"),
    ("john[at]outlook[dot]com", EMAIL, "outlook"),
    ("Почта: design @ yandex.ru", EMAIL, "yandex.ru"),
    ("Мой номер +7 (916) 123-45-67", PHONE, "123-45-67"),
    ("звоните 8-916-123-45-67 после обеда", PHONE, "8-916-123-45-67"),
    ("89161234567", PHONE, "89161234567"),
    ("тел 8 916 123 45 67", PHONE, "916 123 45 67"),
    ("+7.916.123.45.67", PHONE, "916.123.45.67"),
    ("call me at +1 415 555 2671", PHONE, "555 2671"),
    ("my number is (415) 555-2671", PHONE, "555-2671"),
    ("восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь", PHONE, "шестьдесят семь"),
    ("nine one six one two three four five six seven", PHONE, "four five six"),
    ("плюс семь девять один шесть один два три четыре пять шесть семь", PHONE, "четыре пять"),
    ("eight 916 one two three 45 67", PHONE, "one two three"),
    ("text me on whatsapp +44 20 7946 0958", PHONE, "7946 0958"),
    ("Пиши в телегу, там быстрее", MESSENGER, "телегу"),
    ("Мой телеграм @ivan_design", MESSENGER, "@ivan_design"),
    ("t.me/ivan_design", MESSENGER, "ivan_design"),
    ("Вот ссылка https://t.me/+AbCdEf123", MESSENGER, "AbCdEf123"),
    ("Напишите в ватсап, обсудим детали", MESSENGER, "ватсап"),
    ("wa.me/79161234567", MESSENGER, "79161234567"),
    ("add me on skype: live:ivan.petrov", MESSENGER, "ivan.petrov"),
    ("мой скайп ivan.petrov88", MESSENGER, "ivan.petrov88"),
    ("телега: ivan", MESSENGER, "ivan"),
    ("Transfer 5000 to my Sberbank card", PAYMENT, "Sberbank card"),
    ("Пишите в вк: vk.com/id12345", MESSENGER, "id12345"),
    ("добавляйся в ВК", MESSENGER, "ВК"),
    ("Let's continue on Discord, my tag is ivan#1234", MESSENGER, "ivan#1234"),
    ("discord.gg/abcd123", MESSENGER, "abcd123"),
    ("Напишите в вайбер", MESSENGER, "вайбер"),
    ("DM me on Instagram @ivan.designs", MESSENGER, "@ivan.designs"),
    ("Найди меня в инсте", MESSENGER, "инсте"),
    ("whatsapp me when you are free", MESSENGER, "whatsapp"),
    ("Let's move this chat to Telegram", MESSENGER, "Telegram"),
    ("Мой ник в телеграме ivan_design", MESSENGER, "ivan_design"),
    ("У вас есть вотсап?", MESSENGER, "вотсап"),
    ("Переведи на карту, так быстрее", PAYMENT, "на карту"),
    ("Скинь деньги на карту сбера 4276 1234 5678 9012", PAYMENT, "4276 1234 5678 9012"),
    ("Оплата напрямую, без комиссии сайта", PAYMENT, "напрямую"),
    ("Давайте работать напрямую, без площадки", PAYMENT, "напрямую"),
    ("pay me directly via PayPal and we skip the fees", PAYMENT, "directly"),
    ("Can you send the money to my PayPal?", PAYMENT, "PayPal"),
    ("We can do it off-platform to avoid the fee", PAYMENT, "off-platform"),
    ("paypal.me/ivanpetrov", PAYMENT, "ivanpetrov"),
    ("оплатите по СБП по номеру телефона", PAYMENT, "СБП"),
    ("I accept bank transfer or crypto, it is cheaper", PAYMENT, "bank transfer"),
    ("Переведите предоплату на Тинькофф", PAYMENT, "Тинькофф"),
    ("Давай напрямую, не через сайт", PAYMENT, "напрямую"),
    ("Оплата на киви кошелек", PAYMENT, "киви"),
    ("my card number is 5536 9137 1234 5678", PAYMENT, "5536 9137 1234 5678"),
    ("I don't work outside the platform, but here is my email ivan@mail.ru", EMAIL, "ivan@mail.ru"),
    ("Я не работаю вне площадки. Но пишите в телегу", MESSENGER, "телегу"),
    ("go to telegram", MESSENGER, "telegram"),
    ("Can we talk on WhatsApp?", MESSENGER, "WhatsApp"),
    ("Скиньте свой номер, созвонимся", MESSENGER, "номер"),
    ("send me your email and I will explain", MESSENGER, "email"),
    ("Напишу вам в телеграм", MESSENGER, "телеграм"),
]

NEGATIVE = [
    "Стоимость 5 000 ₽, срок 3 дня",
    "The price is 15 000 ₽ for the full package",
    "Бюджет 150 000 рублей, срок 30 дней",
    "Сдам работу 12.05.2024",
    "Deadline: 2024-05-12, revisions until 2024-05-20",
    "Срок с 01.02.2024-15.02.2024 включительно",
    "По заказу #1234 всё готово",
    "Order #98765 is delivered",
    "Ваш номер заказа 4521, спасибо",
    "Обновил до версии v2.1.3",
    "Use Python 3.11.4 and Django 5.2.19",
    "Версия 1.2.10 от 03.04.2025",
    "Размер баннера 1920x1080",
    "Sizes: 1080×1920, 1200x628 and 800x800",
    "The file is 25 MB, 3840x2160 px",
    "Размер 210×297 мм, 300 dpi",
    "I will deliver in 3 days",
    "Сделаю за 2-3 дня, 2 правки включены",
    "Time: 10:00-18:00 Moscow time, Mon-Fri",
    "Тираж 10 000 экземпляров, формат А4",
    "Можно три варианта логотипа и две правки?",
    "I can do one, two or three concepts",
    "Текст на 5000 знаков, 3 ключевых слова",
    "The article has 1 500 words and 4 images",
    "Use the colour #1a9f60 and font size 16px",
    "Coordinates 55.7558, 37.6173",
    "Server at 192.168.100.200 is ready",
    "I don't work outside the platform",
    "Я не работаю вне площадки",
    "Оплата только через сайт",
    "Payment only through the site, please",
    "I never take payments outside the site",
    "Sorry, I can't share contacts, the rules forbid it",
    "Извините, контакты давать не могу, всё общение здесь",
    "Работаю через безопасную сделку, не переживайте",
    "Не надо переводить на карту, оплатите через площадку",
    "Let's keep all communication here on the platform",
    "Сделаю бота для Telegram с оплатой через ЮKassa",
    "I will build a WhatsApp chatbot for your shop",
    "Настрою рекламу ВКонтакте и в Instagram",
    "Нарисую обложку для Discord-сервера",
    "I design Instagram posts and stories",
    "Telegram-бот для записи клиентов готов, проверьте",
    "У вас есть готовый бот для Telegram?",
    "Оплатил заказ через сайт, жду работу",
    "You can pay by card on the checkout page",
    "Спасибо! Жду материалы в этом чате",
    "Please send the brief as a PDF attachment here",
    "I will send the files via WeTransfer link in the delivery",
    "Артикул 12-34-56, цвет синий",
    "We agreed on 2 revisions and delivery on 15.06",
    "Meet the deadline at home.Then we review",
    "Напишу текст для вашего Instagram",
    "Добавлю кнопку WhatsApp на сайт",
    "Напишу бота для Телеграм",
    "Нарисую скины для Discord",
    "Подключу оплату на карту в вашем интернет-магазине",
    "Настрою приём платежей через СБП для вашего сайта",
    "ИНН 7707083893, ОГРН в договоре",
    "Order 12345678901 shipped",
    "Оплата только через сайт, никаких переводов на карту",
    "I only work through the platform, so no PayPal or bank transfers",
]


def test_the_tables_are_large_enough():
    assert len(POSITIVE) >= 40 and len(NEGATIVE) >= 40
    for texts in ([t for t, _, _ in POSITIVE], NEGATIVE):
        assert any(any("а" <= ch <= "я" for ch in t) for t in texts)
        assert any(t.isascii() for t in texts)


@pytest.mark.parametrize(("text", "kind", "hidden"), POSITIVE, ids=[t for t, _, _ in POSITIVE])
def test_detects_contacts_and_masks_them(text, kind, hidden):
    findings = contacts.detect(text)
    assert kind in contacts.kinds(findings)
    masked = contacts.mask(text, findings)
    assert hidden not in masked
    assert contacts.MASK in masked


@pytest.mark.parametrize("text", NEGATIVE, ids=NEGATIVE)
def test_leaves_ordinary_text_alone(text):
    assert contacts.detect(text) == []


def test_mask_keeps_the_rest_of_the_text():
    text = "Hello! Call +7 916 123-45-67 tomorrow."
    assert contacts.mask(text, contacts.detect(text)) == f"Hello! Call {contacts.MASK} tomorrow."


def test_kinds_are_distinct_and_ordered():
    findings = contacts.detect("mail a@b.ru or a2@b.ru, phone 89161234567")
    assert contacts.kinds(findings) == [EMAIL, PHONE]


def test_empty_text():
    assert contacts.detect("") == [] and contacts.mask("", []) == ""


@pytest.mark.parametrize("text", ["не работаю " * 450, "don't work " * 450, "1 " * 2500, "pay " * 1200, "a." * 2500])
def test_long_adversarial_text_is_checked_quickly(text):
    # The composer checks as people type: no pattern may go quadratic on a 5 000-character message.
    import time

    started = time.perf_counter()
    contacts.detect(text[:5000])
    assert time.perf_counter() - started < 1.0
