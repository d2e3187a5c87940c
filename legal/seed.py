"""The first version of each document, in Russian and English, stating what the code does.

The numbers (fee tiers, cancellation windows, auto-complete, payment expiry, withdrawals)
are read from the settings when the seed runs (the data migration `legal.0002`), so a
site that sets `ORDER_AUTOCOMPLETE_DAYS=5` publishes terms that say five days. Later
changes are new versions written by staff in admin; this only fills an empty table.

`seed_documents` takes the model class, so the migration can pass its historical model. It
also runs after every migrate and flush (legal/apps.py): a database emptied by `flush` (the
tests that run in transactions) gets its documents back, as the Sites row does.
"""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone


def _number(value, language: str) -> str:
    """30000 -> "30 000" (a no-break space), 7.5 -> "7,5" in Russian."""
    value = Decimal(str(value))
    text = f"{value.normalize():f}"
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", "\u00a0")
    if fraction:
        return grouped + ("," if language == "ru" else ".") + fraction
    return grouped


def _money(value, language: str) -> str:
    currency = settings.MARKETPLACE_CURRENCY
    if currency == "RUB":
        return f"{_number(value, language)}\u00a0" + ("₽" if language == "ru" else "RUB")
    return f"{_number(value, language)}\u00a0{currency}"


def _percent(rate, language: str) -> str:
    number = _number(Decimal(str(rate)) * 100, language)
    return f"{number}\u00a0%" if language == "ru" else f"{number}%"


def _ru_plural(n, one: str, few: str, many: str) -> str:
    if Decimal(str(n)) != int(Decimal(str(n))):
        return few  # 0,5 дня
    n = int(Decimal(str(n)))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _en_plural(n, one: str, many: str) -> str:
    return one if Decimal(str(n)) == 1 else many


def _fee_lines(language: str) -> str:
    lines, lower = [], None
    for up_to, rate in settings.ESCROW_FEE_TIERS:
        percent = _percent(rate, language)
        if language == "ru":
            if lower is None:
                lines.append(f"- {percent} с части оборота до {_money(up_to, language)};")
            elif up_to is None:
                lines.append(f"- {percent} с части оборота свыше {_money(lower, language)}.")
            else:
                lines.append(f"- {percent} с части оборота от {_money(lower, language)} до {_money(up_to, language)};")
        else:
            if lower is None:
                lines.append(f"- {percent} of the part of the turnover up to {_money(up_to, language)};")
            elif up_to is None:
                lines.append(f"- {percent} of the part above {_money(lower, language)}.")
            else:
                lines.append(f"- {percent} of the part from {_money(lower, language)} to {_money(up_to, language)};")
        lower = up_to
    return "\n".join(lines)


def _facts(language: str) -> dict:
    days = settings.ORDER_AUTOCOMPLETE_DAYS
    days = int(days) if float(days).is_integer() else days
    hours = settings.ORDER_PAYMENT_EXPIRY_HOURS
    mutual = settings.ORDER_MUTUAL_CANCEL_HOURS
    minutes = settings.ORDER_FREE_CANCEL_MINUTES
    clearance = settings.ESCROW_CLEARANCE_DAYS
    review_days = settings.REVIEW_WINDOW_DAYS
    if language == "ru":
        p = _ru_plural
        facts = {
            "autocomplete": f"{_number(days, 'ru')} {p(days, 'день', 'дня', 'дней')}",
            "expiry": f"{hours} {p(hours, 'час', 'часа', 'часов')}",
            "mutual": f"{mutual} {p(mutual, 'час', 'часа', 'часов')}",
            "free_cancel": f"{minutes} {p(minutes, 'минуты', 'минут', 'минут')}",
            "review_days": f"{review_days} {p(review_days, 'дня', 'дней', 'дней')}",
            "clearance": (
                "сразу после завершения заказа"
                if not clearance
                else f"через {clearance} {p(clearance, 'день', 'дня', 'дней')} после завершения заказа"
            ),
        }
    else:
        e = _en_plural
        facts = {
            "autocomplete": f"{_number(days, 'en')} {e(days, 'day', 'days')}",
            "expiry": f"{hours} {e(hours, 'hour', 'hours')}",
            "mutual": f"{mutual} {e(mutual, 'hour', 'hours')}",
            "free_cancel": f"{minutes} {e(minutes, 'minute', 'minutes')}",
            "review_days": f"{review_days} {e(review_days, 'day', 'days')}",
            "clearance": (
                "as soon as the order is completed"
                if not clearance
                else f"{clearance} {e(clearance, 'day', 'days')} after the order is completed"
            ),
        }
    return {
        **facts,
        "name": settings.MARKETPLACE_NAME,
        "site": settings.SITE_URL,
        "email": settings.LEGAL_CONTACT_EMAIL,
        "fees": _fee_lines(language),
        "min_price": _money(settings.GIG_MIN_PRICE, language),
        "min_withdrawal": _money(settings.WITHDRAWAL_MIN_AMOUNT, language),
    }


TERMS_RU = """Настоящие правила — договор между вами и {name} (далее — «площадка», «мы»), который действует на сайте {site}. Регистрируясь или пользуясь сайтом, вы принимаете эти правила. Если вы с ними не согласны, не пользуйтесь площадкой.

## 1. Что такое площадка

{name} — площадка, на которой исполнители (фрилансеры) продают услуги по фиксированной цене, а заказчики их покупают. Площадка не является стороной договора между заказчиком и исполнителем: мы предоставляем сервис поиска, связи, безопасной сделки и разбора споров.

## 2. Аккаунт

- Зарегистрироваться может дееспособное лицо старше 18 лет. Один человек — один аккаунт.
- Вы отвечаете за сохранность пароля и за всё, что делается с вашего аккаунта.
- Указывайте правдивые сведения о себе и своих услугах. Один аккаунт может и покупать, и продавать.

## 3. Услуги и цены

- Исполнитель описывает услугу, пакеты (цена, срок, число доработок, что входит) и дополнительные опции. Минимальная цена пакета — {min_price}.
- Цена заказа — цена пакета плюс выбранные опции, умноженные на количество; срок — дни пакета плюс дни опций. Всё, что заказчик видел при оформлении (название, пакет, опции, цена, срок, число доработок, ставка комиссии), фиксируется в заказе: последующие правки услуги заказ не меняют.
- Услуги проходят модерацию; мы вправе отклонить или скрыть услугу, нарушающую правила или закон.

## 4. Безопасная сделка

- Заказчик оплачивает заказ заранее. Деньги резервируются на площадке и не передаются исполнителю, пока заказ не завершён.
- Неоплаченный заказ отменяется сам через {expiry}.
- Срок выполнения начинается, когда заказчик ответил на вопросы исполнителя (или сразу после оплаты, если вопросов нет).
- Исполнитель сдаёт работу; заказчик принимает её или просит доработку в пределах числа доработок пакета. Доработка возвращает заказ в работу.
- Если заказчик не принял работу, не попросил доработку и не открыл спор, заказ завершается сам через {autocomplete} после сдачи.
- После завершения деньги зачисляются на баланс исполнителя {clearance}. Вывести их можно от {min_withdrawal}.

## 5. Комиссия

Комиссию площадки платит исполнитель: она удерживается из суммы заказа при его завершении, заказчик платит только цену заказа. Ставка зависит от оборота между этим заказчиком и этим исполнителем за всё время (учитываются завершённые заказы; возвраты не учитываются) и считается по частям оборота:

{fees}

Ставка для заказа рассчитывается при его оформлении и фиксируется в заказе. Комиссия округляется до копейки, исполнитель получает сумму заказа за вычетом комиссии.

## 6. Отмена заказа

- Заказчик может бесплатно отменить заказ в течение {free_cancel} после оплаты, а также сразу, если исполнитель просрочил срок.
- Любая сторона может предложить отмену по взаимному согласию; другая сторона принимает или отклоняет её. Если ответа нет {mutual}, отмена принимается сама.
- Исполнитель может отменить заказ до сдачи работы, указав причину; такая отмена учитывается в его статистике.
- При любой отмене вся сумма заказа возвращается на баланс заказчика на площадке.

## 7. Споры

- Если стороны не договорились, любая из них может открыть спор по активному заказу, описав проблему. Сроки заказа останавливаются, деньги остаются зарезервированными.
- Спор решает сотрудник площадки по переписке и материалам заказа: деньги получает исполнитель, возвращаются заказчику или делятся в процентах. Комиссия берётся только с части исполнителя.
- Решение пишется словами, его видят обе стороны. Решение площадки по спору окончательно в пределах площадки и не лишает стороны права обратиться в суд.

## 8. Общение и сделки только через площадку

- Обсуждайте и оплачивайте заказы только на площадке. Запрещено передавать контакты (телефон, e-mail, мессенджеры, ссылки на сторонние профили) до оплаченного заказа, предлагать или принимать оплату вне площадки, уводить заказчиков или исполнителей на другие сервисы.
- До первого оплаченного заказа между двумя людьми контакты в сообщениях скрываются, а отправитель видит предупреждение. Сотрудники площадки видят исходный текст.
- Сделки вне площадки не защищены: мы не сможем вернуть деньги или разобрать спор. За нарушение запрета мы вправе ограничить или заблокировать аккаунт.

## 9. Отзывы

После завершения заказа стороны оценивают друг друга. Отзывы остаются скрытыми, пока обе стороны не оставят свои или пока не пройдёт {review_days}. Исполнитель может один раз публично ответить на отзыв. Запрещены отзывы за вознаграждение и отзывы о себе.

## 10. Запрещено

- Нарушать закон, права других людей и интеллектуальную собственность.
- Спам, мошенничество, обман в описаниях, накрутка рейтинга, несколько аккаунтов для обхода ограничений.
- Оскорбления и угрозы, вредоносные файлы.

## 11. Ответственность и изменения правил

- Качество работы и соблюдение сроков — ответственность исполнителя; своевременная оплата и ясное задание — заказчика. Площадка отвечает за сохранность зарезервированных денег и за исполнение этих правил.
- Мы можем менять правила. Новая редакция публикуется на этой странице с датой; если она требует согласия, мы попросим вас принять её при следующем входе. Прежние редакции остаются доступны по ссылкам ниже.
- Вопросы по правилам: {email}.
"""

TERMS_EN = """These rules are an agreement between you and {name} ("the marketplace", "we") for the site {site}. By signing up or using the site you accept them. If you do not agree, do not use the marketplace.

## 1. What the marketplace is

{name} is a marketplace where freelancers sell services at fixed prices and clients buy them. The marketplace is not a party to the contract between the client and the freelancer: we provide search, messaging, the safe deal and dispute resolution.

## 2. Your account

- You must be an adult (18 or older) with full legal capacity. One person, one account.
- You keep your password safe and answer for everything done from your account.
- Tell the truth about yourself and your services. One account can both buy and sell.

## 3. Services and prices

- A freelancer describes the service, its packages (price, delivery time, revisions, what is included) and extras. The cheapest package is {min_price}.
- An order's price is the package price plus the chosen extras, times the quantity; its delivery time is the package's days plus the extras' days. Everything the client saw when ordering (title, package, extras, price, days, revisions, fee rate) is fixed in the order: later edits of the gig never change it.
- Gigs are moderated; we may reject or hide a gig that breaks these rules or the law.

## 4. The safe deal

- The client pays for the order in advance. The money is held by the marketplace and is not passed to the freelancer until the order is completed.
- An order that is not paid is cancelled by itself after {expiry}.
- The deadline starts when the client answers the freelancer's questions (or at payment when there are none).
- The freelancer delivers; the client accepts or asks for a revision, within the package's number of revisions. A revision sends the order back to work.
- If the client neither accepts, nor asks for a revision, nor opens a dispute, the order completes by itself {autocomplete} after the delivery.
- Once the order is completed, the money reaches the freelancer's balance {clearance}. It can be withdrawn from {min_withdrawal}.

## 5. Fees

The marketplace's fee is paid by the freelancer: it is kept from the order's amount when the order completes; the client pays only the order's price. The rate depends on the turnover between this client and this freelancer over all time (completed orders count; refunds do not) and is charged by parts of that turnover:

{fees}

An order's rate is computed when it is placed and fixed in the order. The fee is rounded to the kopeck; the freelancer receives the order's amount minus the fee.

## 6. Cancelling an order

- The client may cancel for free within {free_cancel} of paying, and at once when the freelancer is late.
- Either side may ask for a mutual cancellation, which the other accepts or declines; with no answer for {mutual} it is accepted by itself.
- The freelancer may cancel before delivering, giving a reason; such a cancellation counts in their stats.
- Every cancellation returns the whole amount of the order to the client's balance on the marketplace.

## 7. Disputes

- If the two sides cannot agree, either may open a dispute on an active order, describing the problem. The order's timers stop and the money stays held.
- A member of our staff decides from the messages and the order's materials: the money goes to the freelancer, back to the client, or is split by percent. The fee is taken only on the freelancer's part.
- The decision is written out and both sides see it. It is final within the marketplace and does not take away anyone's right to go to court.

## 8. Talk and pay only on the marketplace

- Discuss and pay for orders only here. Do not share contacts (phone, email, messengers, links to outside profiles) before a paid order, do not offer or accept payment outside the marketplace, and do not lure clients or freelancers to other services.
- Until two people have a paid order together, contacts in their messages are masked and the sender is warned. Staff see the original text.
- Deals made outside are not protected: we cannot refund them or settle their disputes. We may restrict or block an account that breaks this rule.

## 9. Reviews

After an order completes, both sides rate each other. Reviews stay hidden until both are in or {review_days} pass. The freelancer may reply once, publicly. Paid reviews and reviews of oneself are not allowed.

## 10. Not allowed

- Breaking the law, other people's rights or intellectual property.
- Spam, fraud, misleading descriptions, faked ratings, several accounts to get around limits.
- Insults and threats, malicious files.

## 11. Responsibility and changes

- The quality and timing of the work are the freelancer's responsibility; paying on time and a clear brief are the client's. The marketplace answers for keeping the held money safe and for applying these rules.
- We may change these rules. A new version is published on this page with its date; if it requires your acceptance, we ask you to accept it on your next visit. Earlier versions stay available through the links below.
- Questions about these rules: {email}.
"""

PRIVACY_RU = """Эта политика объясняет, какие персональные данные обрабатывает {name} (оператор, сайт {site}), зачем, как долго и какие права у вас есть. Она составлена в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных».

## 1. Какие данные мы обрабатываем

- Данные аккаунта: адрес электронной почты, имя пользователя, пароль (только в виде хеша), язык и часовой пояс.
- Профиль: отображаемое имя, фото, заголовок, описание, навыки, языки, страна, портфолио. Эти сведения видят другие пользователи.
- Сделки: заказы, ответы на вопросы исполнителя, сданные файлы, отзывы, споры и их материалы.
- Сообщения и вложения в переписке на площадке.
- Платежи: операции по балансу, пополнения и выводы, реквизиты для вывода. Данные банковской карты вводятся на странице платёжного сервиса; полный номер карты мы не храним.
- Технические данные: IP-адрес, сведения о сессии и браузере, время действий, записи о согласии с документами (время и IP-адрес).

## 2. Зачем

- Регистрация и вход, работа аккаунта и профиля.
- Заключение и исполнение сделок между заказчиками и исполнителями, безопасная сделка, выплаты, разбор споров.
- Уведомления о заказах и сообщениях.
- Безопасность: защита от мошенничества, спама и обхода правил (в том числе проверка сообщений на передачу контактов до оплаченного заказа).
- Исполнение требований закона (бухгалтерский и налоговый учёт, ответы на законные запросы государственных органов).

## 3. Основания

Согласие на обработку персональных данных, которое вы даёте при регистрации (отдельный документ), исполнение договора с вами (правил площадки) и обязанности оператора по закону.

## 4. Кому мы передаём данные

- Другим пользователям — в объёме, нужном для сделки: ваш публичный профиль, сообщения и материалы заказа видит другая сторона.
- Платёжным сервисам — для приёма платежей и выплат.
- Подрядчикам, которые обеспечивают работу сайта (хостинг, отправка писем), по договору и с обязательством конфиденциальности.
- Государственным органам — только в случаях, предусмотренных законом.

Мы не продаём персональные данные и не передаём их для рекламы.

## 5. Хранение и защита

- Запись, систематизация, накопление, хранение, уточнение и извлечение персональных данных граждан Российской Федерации выполняются в базах данных на территории Российской Федерации.
- Данные хранятся, пока существует аккаунт. После удаления аккаунта мы удаляем или обезличиваем данные, кроме тех, что закон обязывает хранить дольше (например, сведения об операциях — в сроки, установленные законодательством о бухгалтерском учёте).
- Доступ к данным есть только у сотрудников, которым он нужен по работе. Соединение с сайтом шифруется, пароли хранятся только в виде хеша, файлы сделок доступны только их участникам.

## 6. Файлы cookie

Сайт использует только необходимые cookie: сессию входа и защиту форм (CSRF). Рекламных и сторонних счётчиков нет.

## 7. Ваши права

Вы вправе узнать, какие данные о вас мы обрабатываем, потребовать их уточнения, блокирования или удаления, отозвать согласие и обжаловать наши действия в Роскомнадзоре или в суде. Большую часть данных профиля можно изменить в настройках. Запросы присылайте на {email}; мы ответим в течение 10 рабочих дней.

## 8. Изменения

Новая редакция политики публикуется на этой странице с датой; прежние редакции доступны по ссылкам ниже.
"""

PRIVACY_EN = """This policy explains what personal data {name} (the operator of {site}) processes, why, for how long, and what rights you have. It follows Russian Federal Law No. 152-FZ of 27 July 2006 "On personal data".

## 1. What we process

- Account data: email address, username, password (only as a hash), language and time zone.
- Profile: display name, photo, headline, bio, skills, languages, country, portfolio. Other people see these.
- Deals: orders, answers to the freelancer's questions, delivered files, reviews, disputes and their materials.
- Messages and attachments sent on the marketplace.
- Payments: balance operations, top-ups and withdrawals, payout details. Card details are entered on the payment provider's page; we do not store full card numbers.
- Technical data: IP address, session and browser data, the times of actions, records of accepting these documents (time and IP address).

## 2. Why

- Signing up and in, running your account and profile.
- Making and performing deals between clients and freelancers: the safe deal, payouts, disputes.
- Notifications about orders and messages.
- Security: preventing fraud, spam and rule-dodging (including checking messages for contacts shared before a paid order).
- Meeting legal duties (accounting and tax records, lawful requests of authorities).

## 3. Legal grounds

Your consent to personal data processing given at sign-up (a separate document), the performance of our agreement with you (the terms of service), and the operator's duties under the law.

## 4. Who receives data

- Other users, as much as a deal needs: the other side sees your public profile, messages and the order's materials.
- Payment providers, to take payments and make payouts.
- Contractors that run the site (hosting, email delivery), under contract and confidentiality.
- Authorities, only where the law requires it.

We do not sell personal data or pass it on for advertising.

## 5. Storage and protection

- The personal data of citizens of the Russian Federation are recorded, organised, accumulated, stored, updated and retrieved in databases located in the Russian Federation.
- Data are kept while the account exists. After an account is deleted we delete or anonymise its data, except what the law requires us to keep longer (for example records of payments, for the periods accounting law sets).
- Only staff who need the data for their work can reach it. Connections to the site are encrypted, passwords are stored only as hashes, a deal's files are available only to its parties.

## 6. Cookies

The site uses only necessary cookies: the sign-in session and form protection (CSRF). There are no advertising or third-party trackers.

## 7. Your rights

You may ask what data about you we process, have it corrected, blocked or deleted, withdraw your consent, and complain to Roskomnadzor or a court. Most profile data can be changed in your settings. Write to {email}; we answer within 10 working days.

## 8. Changes

A new version of this policy is published on this page with its date; earlier versions stay available through the links below.
"""

CONSENT_RU = """Регистрируясь на сайте {site}, я свободно, своей волей и в своём интересе даю согласие {name} (далее — оператор) на обработку моих персональных данных на следующих условиях.

## 1. Цели обработки

- регистрация и ведение моего аккаунта и профиля;
- заключение и исполнение сделок с другими пользователями, безопасная сделка, выплаты, рассмотрение споров;
- направление мне уведомлений о заказах, сообщениях и работе аккаунта;
- обеспечение безопасности площадки и предотвращение мошенничества;
- исполнение обязанностей оператора, установленных законом.

## 2. Перечень данных

Адрес электронной почты; имя пользователя и отображаемое имя; фотография (аватар); сведения профиля (заголовок, описание, навыки, языки, страна, часовой пояс, портфолио); содержание сообщений и вложений; сведения о заказах, отзывах и спорах; сведения об операциях по балансу и реквизиты для вывода денег; IP-адрес, данные о браузере и сессиях, время действий на сайте.

## 3. Действия с данными

Сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), извлечение, использование, передача (предоставление, доступ) в пределах, описанных в Политике конфиденциальности, обезличивание, блокирование, удаление и уничтожение — с использованием средств автоматизации и без них.

## 4. Передача

Я согласен(на), что другим пользователям в объёме, нужном для сделки, доступны мой публичный профиль, сообщения и материалы заказов, а платёжным сервисам и подрядчикам оператора, обеспечивающим работу сайта, передаются данные, необходимые для оказания их услуг. Часть данных (профиль) я делаю общедоступной сам, размещая её в профиле.

## 5. Срок и отзыв

Согласие действует со дня регистрации до удаления аккаунта или до отзыва согласия. Я могу отозвать согласие, направив оператору заявление на {email} с адреса, указанного в аккаунте. После отзыва оператор прекращает обработку и удаляет данные в течение 30 дней, кроме данных, которые закон обязывает хранить; без обработки данных пользоваться площадкой нельзя, поэтому аккаунт будет закрыт.

## 6. Прочее

Условия обработки подробно описаны в Политике конфиденциальности. Оператор фиксирует время и IP-адрес, с которого дано согласие.
"""

CONSENT_EN = """By signing up at {site}, I freely, of my own will and in my own interest, consent to {name} (the operator) processing my personal data on the following terms.

## 1. Purposes

- signing me up and keeping my account and profile;
- making and performing deals with other users: the safe deal, payouts, disputes;
- sending me notifications about orders, messages and my account;
- keeping the marketplace secure and preventing fraud;
- meeting the operator's duties under the law.

## 2. Data

Email address; username and display name; photo (avatar); profile details (headline, bio, skills, languages, country, time zone, portfolio); the content of messages and attachments; orders, reviews and disputes; balance operations and payout details; IP address, browser and session data, the times of actions on the site.

## 3. What may be done with them

Collection, recording, organisation, accumulation, storage, updating (change), retrieval, use, transfer (provision, access) within what the Privacy policy describes, anonymisation, blocking, deletion and destruction, with and without automated means.

## 4. Transfer

I agree that other users see my public profile, messages and order materials as far as a deal needs, and that payment providers and the operator's contractors who run the site receive what their services need. Some data (my profile) I make public myself by putting it in my profile.

## 5. Term and withdrawal

This consent is valid from sign-up until my account is deleted or I withdraw it. I may withdraw it by writing to the operator at {email} from the address of my account. The operator then stops processing and deletes the data within 30 days, except what the law requires to keep; the marketplace cannot be used without processing the data, so the account is closed.

## 6. Other

The Privacy policy describes the processing in detail. The operator records the time and IP address from which this consent is given.
"""

DOCUMENTS = {
    "terms": (
        "Правила сервиса и пользовательское соглашение",
        "Terms of service",
        TERMS_RU,
        TERMS_EN,
    ),
    "privacy": ("Политика конфиденциальности", "Privacy policy", PRIVACY_RU, PRIVACY_EN),
    "consent": (
        "Согласие на обработку персональных данных",
        "Consent to personal data processing",
        CONSENT_RU,
        CONSENT_EN,
    ),
}


def seed_documents(document_model, using: str = "default") -> int:
    """Publish version 1 of each kind that has no version yet; returns how many it made."""
    made = 0
    documents = document_model.objects.using(using)
    ru, en = _facts("ru"), _facts("en")
    for kind, (title_ru, title_en, body_ru, body_en) in DOCUMENTS.items():
        if documents.filter(kind=kind).exists():
            continue
        documents.create(
            kind=kind,
            version=1,
            title_ru=title_ru,
            title_en=title_en,
            body_ru=body_ru.format(**ru).strip(),
            body_en=body_en.format(**en).strip(),
            requires_acceptance=True,
            published_at=timezone.now(),
        )
        made += 1
    return made
