"""Demo gigs for the seed command: realistic listings for the demo sellers of the marketplace.

Plain data only. Prices are in RUB; packages go Economy/Standard/Business in order, English gigs use
Basic/Standard/Premium names. `rating` is (average, number of reviews) and `orders` the completed orders,
both only for demo display.
"""

# username -> (email, display name, headline, skills list, languages list, country code)
DEMO_SELLERS = {
    "sergey_video": (
        "sergey@demo.gigmarket.local",
        "Сергей Ким",
        "Видеомонтажёр, моушн-дизайнер и диктор: ролики, анимация, озвучка",
        ["Видеомонтаж", "Моушн-дизайн", "Озвучка", "Цветокоррекция", "Работа со звуком"],
        ["Русский", "English"],
        "RU",
    ),
    "marketing_lena": (
        "lena@demo.gigmarket.local",
        "Елена Васильева",
        "SEO, контекстная реклама и SMM: привожу заявки, а не просто трафик",
        ["SEO", "Контекстная реклама", "SMM", "Таргетинг", "Веб-аналитика"],
        ["Русский", "English"],
        "RU",
    ),
    "biz_pavel": (
        "pavel@demo.gigmarket.local",
        "Павел Громов",
        "Бухгалтер и юрист-консультант для ИП и малого бизнеса, виртуальный ассистент",
        ["Бухгалтерия", "Налоги", "Договоры", "Таблицы и отчёты", "Ассистирование"],
        ["Русский", "English"],
        "RU",
    ),
}

DEMO_GIGS = [
    {
        "seller": "anna_design",
        "category": ("design", "logo"),
        "title": "Разработаю уникальный логотип для вашего бизнеса",
        "description": (
            "Создам логотип, который легко запомнить и удобно использовать везде: на вывеске, "
            "упаковке, в соцсетях и на сайте. За 8 лет я нарисовала логотипы для кофеен, "
            "онлайн-школ, салонов красоты, производств и IT-стартапов.\n\n"
            "**Как проходит работа:**\n"
            "- изучаю бриф, нишу и логотипы конкурентов;\n"
            "- делаю эскизы и отбираю самые сильные идеи;\n"
            "- показываю варианты на мокапах: визитке, вывеске, аватарке;\n"
            "- вношу правки и готовлю финальные файлы.\n\n"
            "**Что вы получите:** логотип в векторе и растре (SVG, PDF, PNG на прозрачном фоне), "
            "цветную, монохромную и инверсную версии, подобранные шрифты и цвета с кодами HEX и "
            "CMYK. Исключительные права на логотип передаю вам.\n\n"
            "Не использую стоки и готовые шаблоны: каждый знак рисую с нуля под ваш бизнес."
        ),
        "tags": ["логотип", "логотипы", "брендинг", "дизайн", "айдентика"],
        "packages": [
            {
                "name": "Эконом",
                "description": "2 варианта логотипа, доработка выбранного, файлы PNG и JPG",
                "price": 1500,
                "days": 3,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "3 варианта логотипа, векторные исходники SVG и PDF, презентация на 3 мокапах",
                "price": 3500,
                "days": 5,
                "revisions": 3,
            },
            {
                "name": "Бизнес",
                "description": "5 вариантов, все исходники, мини-гайд по использованию, иконка для соцсетей и фавикон",
                "price": 7000,
                "days": 7,
                "revisions": 5,
            },
        ],
        "extras": [
            {"title": "Срочно за 1 день", "price": 1000, "days": 0, "urgent": 1},
            {"title": "Дополнительный вариант логотипа", "price": 800, "days": 1},
            {"title": "Дизайн визитки в стиле логотипа", "price": 900, "days": 1},
        ],
        "questions": [
            {"text": "Название компании, слоган (если есть) и чем вы занимаетесь", "kind": "text"},
            {
                "text": "Какой стиль вам ближе?",
                "kind": "choice",
                "choices": ["Минимализм", "Классика", "Игривый", "Технологичный"],
            },
            {"text": "Приложите примеры логотипов, которые вам нравятся", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Можно обновить уже существующий логотип?",
                "answer": (
                    "Да. Сохраню узнаваемые элементы, уберу лишнее и подготовлю аккуратный вектор. Для "
                    "редизайна подходит пакет «Стандарт»."
                ),
            },
            {
                "question": "Кому принадлежат права на логотип?",
                "answer": (
                    "Вам. После приёмки заказа передаю исходники и исключительные права на выбранный "
                    "вариант, а остальные эскизы другим клиентам не предлагаю."
                ),
            },
        ],
        "color": "#1a9f60",
        "rating": (4.9, 37),
        "orders": 52,
    },
    {
        "seller": "anna_design",
        "category": ("design", "branding"),
        "title": "Создам фирменный стиль и брендбук для вашей компании",
        "description": (
            "Фирменный стиль — это не только логотип. Это единая система цветов, шрифтов, "
            "графики и правил, благодаря которой вас узнают на любом носителе, а дизайнерам и "
            "подрядчикам не нужно каждый раз угадывать, «как правильно».\n\n"
            "**Что входит в работу:**\n"
            "- анализ конкурентов и мудборд с направлением стиля;\n"
            "- логотип или доработка текущего;\n"
            "- фирменная палитра, пара шрифтов, графические элементы и паттерн;\n"
            "- носители: визитка, бланк, подпись для писем, аватарки и обложки для соцсетей;\n"
            "- брендбук в PDF с правилами использования.\n\n"
            "Все макеты готовлю так, чтобы ими было удобно пользоваться дальше: шаблоны с "
            "понятными слоями, векторные логотипы и иконки, палитры в HEX, RGB и CMYK. Если у "
            "вас уже есть логотипы или наработки, встрою их в систему, а не начну всё заново."
        ),
        "tags": ["фирменный стиль", "брендбук", "айдентика", "брендинг"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Логостиль: логотип, палитра, шрифты, визитка и аватарка для соцсетей",
                "price": 6000,
                "days": 7,
                "revisions": 2,
            },
            {
                "name": "Стандарт",
                "description": "Всё из «Эконом» + бланк, паттерн, 5 носителей на выбор и гайд на 10 страниц",
                "price": 14000,
                "days": 12,
                "revisions": 3,
            },
            {
                "name": "Бизнес",
                "description": "Полная система стиля, 10 носителей, шаблоны для соцсетей, брендбук на 25–30 страниц",
                "price": 28000,
                "days": 20,
                "revisions": 5,
            },
        ],
        "extras": [
            {"title": "Дизайн упаковки или этикетки", "price": 5000, "days": 5},
            {"title": "Шаблоны сторис и постов для соцсетей (5 шт.)", "price": 2000, "days": 2},
        ],
        "questions": [
            {"text": "Расскажите о компании: продукт, аудитория, чем вы отличаетесь от конкурентов", "kind": "text"},
            {
                "text": "Есть ли у вас логотип?",
                "kind": "choice",
                "choices": ["Нет, нужен с нуля", "Есть, нужно обновить", "Есть, оставляем как есть"],
            },
            {"text": "Приложите текущие материалы: логотип, фото, старые макеты", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Чем гайд отличается от брендбука?",
                "answer": (
                    "Гайд — короткая инструкция на 8–10 страниц: логотип, цвета, шрифты и запреты. "
                    "Брендбук подробнее: идея бренда, модульные сетки, правила для каждого носителя, "
                    "фотостиль и примеры применения."
                ),
            }
        ],
        "color": "#6c4ab6",
        "rating": (5.0, 14),
        "orders": 19,
    },
    {
        "seller": "anna_design",
        "category": ("design", "marketplace-cards"),
        "title": "Сделаю продающую инфографику для карточек товаров на маркетплейсах",
        "description": (
            "Покупатель решает за 2–3 секунды, листая выдачу, поэтому главный слайд должен сразу "
            "показать товар и его главную выгоду. Я делаю карточки, которые выделяются в ленте и "
            "отвечают на вопросы покупателя ещё до чтения описания.\n\n"
            "**Что я делаю:**\n"
            "- изучаю карточки конкурентов в вашей нише;\n"
            "- вырезаю товар из фона, ретуширую и корректирую цвет;\n"
            "- выстраиваю структуру слайдов: выгоды, размеры, комплектация, материалы, способ применения;\n"
            "- оформляю инфографику крупно и читаемо даже на экране телефона.\n\n"
            "Макеты готовлю в размерах, которые требуют площадки (3:4, 900×1200 px или 1:1), в "
            "JPG или PNG без потери качества. Соблюдаю правила маркетплейсов: никаких "
            "запрещённых плашек и обещаний, которые нельзя подтвердить. Редактируемые исходники "
            "— по запросу."
        ),
        "tags": ["инфографика", "карточки товаров", "маркетплейсы", "дизайн карточек"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Главный слайд для одной карточки, обработка 1 фото товара",
                "price": 700,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Главный слайд + 4 слайда инфографики, обработка до 5 фото",
                "price": 2500,
                "days": 2,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Главный слайд + 9 слайдов, анализ конкурентов, 2 варианта обложки для A/B-теста",
                "price": 5000,
                "days": 4,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Дополнительный слайд инфографики", "price": 400, "days": 0},
            {"title": "Удаление фона и ретушь 10 фото", "price": 800, "days": 1},
            {"title": "Редактируемые исходники PSD", "price": 500, "days": 0},
        ],
        "questions": [
            {"text": "Название товара, ключевые преимущества и характеристики", "kind": "text"},
            {
                "text": "Формат карточки",
                "kind": "choice",
                "choices": ["3:4 (900×1200)", "1:1 (1000×1000)", "Другой, напишу в комментарии"],
            },
            {"text": "Загрузите фото товара в хорошем качестве", "kind": "file"},
        ],
        "faqs": [
            {
                "question": "Нет профессиональных фото товара — что делать?",
                "answer": (
                    "Пришлите снимки с телефона при дневном свете на однотонном фоне. Я вырежу товар, "
                    "выровняю свет и цвет, а фон и окружение соберу в графическом редакторе."
                ),
            }
        ],
        "color": "#e85d75",
        "rating": (4.8, 88),
        "orders": 143,
    },
    {
        "seller": "anna_design",
        "category": ("design", "presentations"),
        "title": "Оформлю презентацию для инвесторов, выступления или отдела продаж",
        "description": (
            "Превращу ваш черновик или текст в презентацию, которую приятно смотреть и легко "
            "слушать. Работаю с питч-деками для инвесторов, коммерческими предложениями, "
            "отчётами и презентациями к выступлениям на конференциях.\n\n"
            "**Что я делаю:**\n"
            "- выстраиваю логику: одна мысль — один слайд;\n"
            "- сокращаю текст и выделяю главное;\n"
            "- превращаю таблицы и цифры в понятные графики и схемы;\n"
            "- подбираю иконки и иллюстрации, оформляю всё в вашем фирменном стиле или создаю "
            "стиль с нуля.\n\n"
            "**Результат:** файл PPTX, который вы сможете редактировать сами, и PDF для отправки "
            "клиентам. Шрифты подбираю стандартные или прикладываю к файлу, чтобы презентация не "
            "«разъехалась» на чужом компьютере."
        ),
        "tags": ["презентация", "питч-дек", "коммерческое предложение", "дизайн слайдов"],
        "packages": [
            {
                "name": "Эконом",
                "description": "До 10 слайдов в готовом стиле, файлы PPTX и PDF",
                "price": 2000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "До 20 слайдов, графики и схемы из ваших данных, иконки",
                "price": 4500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "До 35 слайдов, редактура текста, уникальный стиль и мастер-шаблон",
                "price": 8500,
                "days": 5,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Мастер-шаблон для новых презентаций", "price": 2500, "days": 2},
            {"title": "Анимация переходов и появления элементов", "price": 1000, "days": 1},
        ],
        "questions": [
            {"text": "Для чего презентация и кто будет её смотреть?", "kind": "text"},
            {"text": "Загрузите текст, черновик или старую версию презентации", "kind": "file"},
            {
                "text": "Есть ли фирменный стиль?",
                "kind": "choice",
                "choices": ["Да, пришлю гайд", "Только логотип и цвета", "Нет, нужен с нуля"],
            },
        ],
        "faqs": [
            {
                "question": "Поможете с текстом, если его пока нет?",
                "answer": (
                    "В пакете «Бизнес» сокращаю и редактирую готовый текст. Если текста нет совсем, "
                    "пришлите тезисы: составлю структуру слайдов и согласую её с вами до начала дизайна."
                ),
            }
        ],
        "color": "#f08a24",
        "rating": (4.9, 21),
        "orders": 30,
    },
    {
        "seller": "anna_design",
        "category": ("design", "print"),
        "title": "Разработаю дизайн визиток, листовок и буклетов для печати",
        "description": (
            "Подготовлю макеты, которые типография примет с первого раза. Частые проблемы "
            "самостоятельных макетов — обрезанный текст, блёклые цвета и размытые логотипы. Я "
            "учитываю технические требования печати с самого начала.\n\n"
            "**Технически:**\n"
            "- цветовая модель CMYK и проверка насыщенных цветов;\n"
            "- вылеты под обрез 3 мм и безопасные поля;\n"
            "- изображения 300 dpi, шрифты в кривых;\n"
            "- итоговый PDF по требованиям вашей типографии.\n\n"
            "**Что могу сделать:** визитки, листовки, флаеры, евробуклеты, меню для кафе, "
            "приглашения, сертификаты, наклейки и плакаты. Использую ваши логотипы и фирменные "
            "цвета, а если стиля пока нет, предложу 2 направления на выбор.\n\n"
            "Перед сдачей присылаю превью того, как макет будет выглядеть после резки."
        ),
        "tags": ["визитки", "листовки", "полиграфия", "буклет", "макет для печати"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Односторонняя визитка или листовка А6, макет для печати",
                "price": 800,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Двусторонняя визитка + двусторонняя листовка А5",
                "price": 2500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Евробуклет на 3 сгиба + визитка + листовка, 2 направления дизайна",
                "price": 5500,
                "days": 5,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Адаптация макета под другой формат", "price": 600, "days": 1},
            {"title": "Срочно за 1 день", "price": 800, "days": 0, "urgent": 1},
        ],
        "questions": [
            {"text": "Какую продукцию нужно сделать и в каком формате?", "kind": "text"},
            {"text": "Приложите логотип, тексты и фотографии для макета", "kind": "file", "required": False},
            {
                "text": "Где будете печатать?",
                "kind": "choice",
                "choices": ["Цифровая печать", "Офсетная типография", "Пока не знаю"],
            },
        ],
        "faqs": [
            {
                "question": "Вы печатаете тиражи?",
                "answer": (
                    "Нет, я готовлю только макеты. Но подскажу, какую бумагу и отделку выбрать, и "
                    "адаптирую файл под требования любой типографии."
                ),
            }
        ],
        "color": "#2b7a78",
        "rating": (4.8, 46),
        "orders": 71,
    },
    {
        "seller": "anna_design",
        "category": ("design", "logo"),
        "title": "I will design a modern minimalist logo for your brand",
        "description": (
            "Need a logo that looks clean on a website header, an app icon and a printed "
            "business card? I create minimalist logo designs that stay readable at any size and "
            "age well.\n\n"
            "**My process:**\n"
            "- a short brief: your audience, values and the logos you like;\n"
            "- research of your niche and competitors;\n"
            "- hand-drawn sketches turned into vector concepts;\n"
            "- presentation of each concept on realistic mockups;\n"
            "- refinements and final export.\n\n"
            "**You receive:** vector files (SVG, PDF, EPS) and transparent PNGs, full-colour and "
            "black-and-white versions, the exact colour codes and font names. Every design is "
            "drawn from scratch: no templates, no stock icons, and full ownership rights are "
            "transferred to you.\n\n"
            "I have 8 years of experience and have designed logos for coffee shops, online "
            "schools, software products and craft brands."
        ),
        "tags": ["logo design", "minimalist logo", "branding", "vector logo"],
        "packages": [
            {
                "name": "Basic",
                "description": "2 logo concepts, PNG and JPG files",
                "price": 2000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "3 logo concepts, vector source files, mockup presentation",
                "price": 4500,
                "days": 4,
                "revisions": 3,
            },
            {
                "name": "Premium",
                "description": "5 logo concepts, all source files, mini brand guide, social media icon and favicon",
                "price": 8500,
                "days": 6,
                "revisions": 6,
            },
        ],
        "extras": [
            {"title": "Express 24-hour delivery", "price": 1500, "days": 0},
            {"title": "Social media kit: avatar and cover", "price": 1200, "days": 1},
            {"title": "Additional logo concept", "price": 900, "days": 1},
        ],
        "questions": [
            {"text": "Your brand name, tagline and a few words about what you do", "kind": "text"},
            {
                "text": "Which style do you prefer?",
                "kind": "choice",
                "choices": ["Minimal", "Classic", "Playful", "Tech"],
            },
            {"text": "Attach logos or designs you like", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Can you redesign my existing logo?",
                "answer": (
                    "Yes. I keep the recognisable parts, simplify the rest and rebuild it as a clean "
                    "vector. The Standard package works well for a redesign."
                ),
            }
        ],
        "color": "#3a86ff",
        "rating": (5.0, 12),
        "orders": 15,
    },
    {
        "seller": "anna_design",
        "category": ("design", "banners"),
        "title": "I will create eye-catching banner designs for ads and social media",
        "description": (
            "A banner has a split second to be noticed, so each one needs a single clear "
            "message, a strong visual and a visible call to action. I design static banners for "
            "display ads, social media posts, website headers and email newsletters.\n\n"
            "**What you get:**\n"
            "- banner designs in all the sizes you need, from a square post to a wide leaderboard;\n"
            "- a consistent style across every size, matching your brand colours and fonts;\n"
            "- optimised PNG and JPG files that stay within typical ad network weight limits;\n"
            "- layered source files on request.\n\n"
            "I can also prepare 2-3 variations of the headline or visual so you can A/B test "
            "which one brings more clicks. Send me your text, logo and product photos, and I "
            "will take care of composition, typography and the details that make people stop scrolling."
        ),
        "tags": ["banner design", "social media", "display ads", "web banners"],
        "packages": [
            {"name": "Basic", "description": "1 banner design in 2 sizes", "price": 1000, "days": 1, "revisions": 1},
            {
                "name": "Standard",
                "description": "3 banner designs, up to 6 sizes each",
                "price": 2800,
                "days": 2,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Campaign set: 5 designs in up to 10 sizes, 2 headline variations for A/B tests",
                "price": 5500,
                "days": 4,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Layered source files", "price": 600, "days": 0},
            {"title": "Simple GIF animation", "price": 1200, "days": 1},
        ],
        "questions": [
            {"text": "What is the banner for, and what should it say?", "kind": "text"},
            {"text": "List the sizes you need (for example 1080x1080 and 728x90)", "kind": "text"},
            {"text": "Attach your logo, product photos and brand guidelines", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Do you make animated HTML5 banners?",
                "answer": (
                    "I deliver static banners and simple GIF animations. For complex HTML5 banners, "
                    "please message me first so we can discuss the scope."
                ),
            }
        ],
        "color": "#ff6b6b",
        "rating": (4.7, 9),
        "orders": 13,
    },
    {
        "seller": "dev_maxim",
        "category": ("development", "websites"),
        "title": "Разработаю сайт на Django под ключ: от прототипа до запуска",
        "description": (
            "Разрабатываю сайты на Python и Django: от лендинга до сервиса с личным кабинетом, "
            "оплатой и интеграциями. Делал сайты для онлайн-школ, агентств, служб доставки и "
            "производственных компаний.\n\n"
            "**Как я работаю:**\n"
            "- обсуждаем задачу и фиксируем список страниц и функций;\n"
            "- делаю прототип и согласую его с вами;\n"
            "- верстаю адаптивный дизайн, который корректно выглядит на телефоне;\n"
            "- пишу код с тестами и настраиваю удобную админку;\n"
            "- разворачиваю проект на сервере, подключаю домен и SSL.\n\n"
            "**Вы получаете** быстрый и безопасный сайт, доступ ко всему коду и инструкцию, как "
            "добавлять страницы и товары. Никаких конструкторов сайтов и платных подписок — "
            "проект полностью ваш.\n\n"
            "После запуска 14 дней бесплатно исправляю найденные ошибки."
        ),
        "tags": ["сайт", "django", "разработка сайтов", "python", "сайт под ключ"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Лендинг до 5 блоков, форма заявки с уведомлениями, админка",
                "price": 15000,
                "days": 7,
                "revisions": 2,
            },
            {
                "name": "Стандарт",
                "description": "Корпоративный сайт до 10 страниц, каталог или блог, базовая SEO-настройка",
                "price": 35000,
                "days": 14,
                "revisions": 3,
            },
            {
                "name": "Бизнес",
                "description": "Сайт с личным кабинетом, онлайн-оплатой, интеграциями и ролями пользователей",
                "price": 75000,
                "days": 25,
                "revisions": 5,
            },
        ],
        "extras": [
            {"title": "Подключение онлайн-оплаты", "price": 5000, "days": 2},
            {"title": "Перенос контента со старого сайта", "price": 3000, "days": 2},
            {"title": "Техподдержка 1 месяц", "price": 6000, "days": 0},
        ],
        "questions": [
            {"text": "Опишите задачу: для чего сайт, какие страницы и функции нужны", "kind": "text"},
            {
                "text": "Есть ли готовый дизайн?",
                "kind": "choice",
                "choices": ["Да, есть макет", "Нет, нужен дизайн", "Достаточно аккуратного шаблона"],
            },
            {"text": "Приложите ТЗ, макеты или скриншоты сайтов, которые нравятся", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Где будет размещён сайт?",
                "answer": (
                    "На вашем сервере или хостинге с поддержкой Python. Помогу выбрать тариф: "
                    "большинству сайтов хватает недорогого VPS."
                ),
            },
            {
                "question": "Смогу ли я сам менять контент?",
                "answer": (
                    "Да. Тексты, картинки, товары и статьи редактируются в админке без программиста, к "
                    "сдаче прикладываю короткую инструкцию."
                ),
            },
        ],
        "color": "#0c6e4f",
        "rating": (4.9, 28),
        "orders": 34,
    },
    {
        "seller": "dev_maxim",
        "category": ("development", "bots"),
        "title": "Создам чат-бота для мессенджера на Python: заявки, оплата, рассылки",
        "description": (
            "Напишу бота, который возьмёт на себя рутину: принимает заявки, записывает клиентов, "
            "отвечает на частые вопросы, принимает оплату и присылает уведомления менеджерам.\n\n"
            "**Что умеют мои боты:**\n"
            "- меню и пошаговые сценарии с кнопками;\n"
            "- запись на услуги с выбором даты и времени;\n"
            "- приём оплаты и выдача доступа к закрытым каналам или материалам;\n"
            "- рассылки по базе подписчиков с сегментацией;\n"
            "- выгрузка заявок в таблицу или CRM;\n"
            "- админ-панель для просмотра пользователей и статистики.\n\n"
            "Пишу на Python (aiogram), храню данные в PostgreSQL и разворачиваю бота на сервере "
            "с автоперезапуском, чтобы он работал 24/7. Код передаю вам вместе с инструкцией по "
            "запуску.\n\n"
            "Если пока не знаете, какие функции нужны, опишите бизнес-процесс, и я предложу сценарий."
        ),
        "tags": ["чат-бот", "боты", "python", "автоматизация"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Бот-визитка: меню, ответы на вопросы, форма заявки с уведомлением",
                "price": 5000,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Стандарт",
                "description": "Бот с записью или каталогом, оплатой, базой данных и админ-командами",
                "price": 15000,
                "days": 7,
                "revisions": 3,
            },
            {
                "name": "Бизнес",
                "description": "Сложный бот: личный кабинет, рассылки, интеграция с CRM, веб-админка",
                "price": 35000,
                "days": 14,
                "revisions": 5,
            },
        ],
        "extras": [
            {"title": "Размещение на сервере и настройка автозапуска", "price": 2000, "days": 1},
            {"title": "Выгрузка заявок в таблицу", "price": 1500, "days": 1},
        ],
        "questions": [
            {"text": "Что должен делать бот? Опишите сценарий как можно подробнее", "kind": "text"},
            {"text": "Нужен ли приём платежей?", "kind": "choice", "choices": ["Да", "Нет", "Пока не знаю"]},
        ],
        "faqs": [
            {
                "question": "Что нужно от меня для запуска?",
                "answer": (
                    "Токен бота, который вы создадите в мессенджере за пару минут (подскажу как), и при "
                    "необходимости данные платёжного сервиса. Сервер помогу арендовать."
                ),
            }
        ],
        "color": "#229ed9",
        "rating": (4.8, 64),
        "orders": 97,
    },
    {
        "seller": "dev_maxim",
        "category": ("development", "parsing"),
        "title": "Напишу парсер сайтов и соберу данные в таблицу CSV или XLSX",
        "description": (
            "Соберу нужные данные с сайтов: каталоги товаров, цены и остатки, объявления, "
            "сведения об организациях из открытых справочников, отзывы. Результат получите в "
            "удобном виде — CSV, XLSX, JSON или сразу в вашей базе данных.\n\n"
            "**Что учитываю:**\n"
            "- пагинацию, фильтры и подгрузку данных через JavaScript;\n"
            "- ограничение частоты запросов, чтобы не нагружать сайт-источник;\n"
            "- очистку и нормализацию: цены числами, даты в одном формате, без дублей;\n"
            "- выгрузку фото и файлов из карточек.\n\n"
            "Могу сделать разовую выгрузку или парсер по расписанию, который каждый день "
            "обновляет данные и присылает отчёт об изменениях цен. Собираю только общедоступную "
            "информацию, без обхода авторизации и без персональных данных."
        ),
        "tags": ["парсинг", "парсер", "сбор данных", "python"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Разовый сбор с одного сайта до 5 000 записей, XLSX или CSV",
                "price": 2500,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Парсер одного сайта с исходным кодом, до 50 000 записей, выгрузка фото",
                "price": 6000,
                "days": 4,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Парсер нескольких сайтов по расписанию на сервере, отчёт об изменениях",
                "price": 15000,
                "days": 8,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Повторная выгрузка через месяц", "price": 1000, "days": 0},
            {"title": "Загрузка данных в вашу базу или API", "price": 3000, "days": 2},
        ],
        "questions": [
            {"text": "С какого сайта и какие поля нужно собрать?", "kind": "text"},
            {
                "text": "Как часто нужны данные?",
                "kind": "choice",
                "choices": ["Один раз", "Раз в неделю", "Каждый день"],
            },
        ],
        "faqs": [
            {
                "question": "Что если сайт изменит вёрстку?",
                "answer": (
                    "Парсер перестанет находить часть полей. В течение месяца после сдачи исправлю это "
                    "бесплатно, дальше — по отдельной договорённости."
                ),
            }
        ],
        "color": "#5a4fcf",
        "rating": (4.9, 51),
        "orders": 78,
    },
    {
        "seller": "dev_maxim",
        "category": ("development", "fixes"),
        "title": "Исправлю ошибки и доработаю ваш сайт на Python и Django",
        "description": (
            "Сайт выдаёт ошибку 500, не отправляет письма, тормозит или перестал работать после "
            "обновления? Разберусь в чужом коде и аккуратно исправлю проблему, не сломав остальное.\n\n"
            "**С чем обращаются чаще всего:**\n"
            "- ошибки после обновления Python, Django или библиотек;\n"
            "- медленные страницы: оптимизирую запросы к базе и кеширование;\n"
            "- не работают формы, почта, оплата или загрузка файлов;\n"
            "- нужно добавить новую функцию, поле или раздел в админке;\n"
            "- переезд со старой версии Django на актуальную LTS.\n\n"
            "Сначала изучаю код и логи, называю причину и точную стоимость, и только потом "
            "приступаю. Все изменения веду в системе контроля версий, чтобы их можно было "
            "проверить и откатить. После работы коротко описываю, что сделано и почему."
        ),
        "tags": ["исправление ошибок", "доработка сайта", "django", "python"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Одна ошибка или небольшая доработка, до 2 часов работы",
                "price": 1500,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Несколько исправлений или новая функция, до 6 часов работы",
                "price": 4500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Обновление Django до LTS, оптимизация скорости и рефакторинг, до 16 часов",
                "price": 12000,
                "days": 7,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Срочно: начну в течение 2 часов", "price": 1500, "days": 0},
            {"title": "Покрытие исправлений автотестами", "price": 2000, "days": 1},
        ],
        "questions": [
            {"text": "Опишите проблему: что происходит и когда это началось", "kind": "text"},
            {"text": "Как получить доступ к коду и серверу?", "kind": "text"},
            {"text": "Приложите скриншоты ошибок или логи", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Работаете с чужим кодом?",
                "answer": (
                    "Да, это большая часть моих заказов. Если код совсем запущен, честно скажу об этом и "
                    "предложу варианты до начала работы."
                ),
            }
        ],
        "color": "#d1495b",
        "rating": (4.9, 73),
        "orders": 118,
    },
    {
        "seller": "dev_maxim",
        "category": ("development", "backend"),
        "title": "Настрою интеграцию сайта с CRM, платёжными сервисами и API",
        "description": (
            "Свяжу ваши сервисы между собой, чтобы данные передавались автоматически, а "
            "менеджеры не копировали заявки вручную.\n\n"
            "**Примеры задач:**\n"
            "- заявки с сайта уходят в CRM с метками источника;\n"
            "- после оплаты клиенту автоматически приходят чек и доступ к курсу;\n"
            "- остатки и цены синхронизируются между учётной системой и интернет-магазином;\n"
            "- REST API для мобильного приложения или партнёров;\n"
            "- вебхуки, очереди задач и повторные попытки при сбоях.\n\n"
            "Пишу на Python (Django, Django REST Framework, Celery), документирую API в формате "
            "OpenAPI, покрываю ключевые сценарии тестами и настраиваю логирование, чтобы любую "
            "ошибку было легко найти. Перед стартом изучаю документацию ваших сервисов и "
            "согласую схему обмена данными."
        ),
        "tags": ["интеграция", "api", "backend", "crm", "django"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Простая интеграция: передача заявок из формы в один сервис",
                "price": 4000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Двусторонняя интеграция двух сервисов с вебхуками и логированием",
                "price": 12000,
                "days": 6,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "REST API или сложная синхронизация с очередями, документацией и тестами",
                "price": 30000,
                "days": 14,
                "revisions": 4,
            },
        ],
        "extras": [
            {"title": "Документация API в OpenAPI", "price": 2500, "days": 1},
            {"title": "Мониторинг и уведомления об ошибках", "price": 2000, "days": 1},
        ],
        "questions": [
            {"text": "Какие сервисы нужно связать и какие данные передавать?", "kind": "text"},
            {
                "text": "На чём работает ваш сайт?",
                "kind": "choice",
                "choices": ["Python/Django", "PHP или CMS", "Конструктор сайтов", "Другое"],
            },
        ],
        "faqs": [
            {
                "question": "Что если у сервиса нет API?",
                "answer": (
                    "Иногда помогают выгрузки файлов, почтовые уведомления или вебхуки. Посмотрю "
                    "варианты и скажу, что реально сделать, до оплаты заказа."
                ),
            }
        ],
        "color": "#264653",
        "rating": (5.0, 18),
        "orders": 24,
    },
    {
        "seller": "dev_maxim",
        "category": ("development", "servers"),
        "title": "I will deploy your Django or Flask app to a secure Linux server",
        "description": (
            "Your app works on your laptop, but going live feels risky? I will set up a "
            "production server properly, so your website is fast, secure and easy to update.\n\n"
            "**What I configure:**\n"
            "- a Linux VPS with a non-root user, SSH keys and a firewall;\n"
            "- Nginx with Gunicorn (or Uvicorn for ASGI apps) managed by systemd;\n"
            "- PostgreSQL and Redis, plus Celery workers if you need background jobs;\n"
            "- free SSL certificates with automatic renewal;\n"
            "- daily database backups and log rotation;\n"
            "- a one-command deploy script or a simple CI pipeline.\n\n"
            "You get a short document describing the setup, where the logs live and how to roll "
            "back a release. I can also move an existing project from shared hosting to a VPS "
            "with minimal downtime."
        ),
        "tags": ["deployment", "django", "devops", "server setup", "website"],
        "packages": [
            {
                "name": "Basic",
                "description": "Deploy one app to your VPS: Nginx, Gunicorn, SSL",
                "price": 3000,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "Everything in Basic + PostgreSQL, Celery, backups and a deploy script",
                "price": 7000,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Full production setup with CI pipeline, monitoring, staging server and docs",
                "price": 15000,
                "days": 6,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Migration from shared hosting", "price": 3000, "days": 1},
            {"title": "One month of server maintenance", "price": 5000, "days": 0},
        ],
        "questions": [
            {"text": "Describe your stack: framework, database, background jobs", "kind": "text"},
            {
                "text": "Do you already have a server?",
                "kind": "choice",
                "choices": ["Yes, a VPS", "No, please help me choose", "I use shared hosting"],
            },
        ],
        "faqs": [
            {
                "question": "Do I need to give you root access?",
                "answer": (
                    "For the setup, yes, or a user with sudo rights. After the job you can change the "
                    "passwords and revoke my SSH key; I will show you how."
                ),
            }
        ],
        "color": "#2d3a8c",
        "rating": (4.9, 16),
        "orders": 22,
    },
    {
        "seller": "dev_maxim",
        "category": ("development", "websites"),
        "title": "I will build a fast, responsive website with Python and Django",
        "description": (
            "I build websites and web apps with Python and Django: company sites, booking "
            "systems, catalogues, internal dashboards and MVPs for startups.\n\n"
            "**What you can expect:**\n"
            "- a clear scope and a fixed price agreed before I start;\n"
            "- a responsive layout that looks right on phones and desktops;\n"
            "- a convenient admin panel to edit pages, products and posts yourself;\n"
            "- clean, tested code in a Git repository that you own;\n"
            "- basic SEO: clean URLs, meta tags, a sitemap and fast page loads;\n"
            "- deployment to your server with a domain and SSL.\n\n"
            "I communicate in English, send progress updates every couple of days and show a "
            "working demo early, so there are no surprises at the end. After launch I fix any "
            "bugs for free for 14 days."
        ),
        "tags": ["website", "django", "web development", "python"],
        "packages": [
            {
                "name": "Basic",
                "description": "Landing page up to 5 sections with a contact form and admin",
                "price": 18000,
                "days": 7,
                "revisions": 2,
            },
            {
                "name": "Standard",
                "description": "Business website up to 10 pages with a blog or catalogue",
                "price": 40000,
                "days": 14,
                "revisions": 3,
            },
            {
                "name": "Premium",
                "description": "Web app with user accounts, online payments and integrations",
                "price": 80000,
                "days": 28,
                "revisions": 5,
            },
        ],
        "extras": [
            {"title": "Online payments integration", "price": 6000, "days": 2},
            {"title": "One month of support", "price": 6000, "days": 0},
        ],
        "questions": [
            {"text": "What should the website do? List the main pages and features", "kind": "text"},
            {
                "text": "Attach a specification, mockups or screenshots of websites you like",
                "kind": "file",
                "required": False,
            },
            {
                "text": "Do you have a design?",
                "kind": "choice",
                "choices": ["Yes, ready mockups", "No, I need a design", "A clean template is fine"],
            },
        ],
        "faqs": [
            {
                "question": "Which languages can the website support?",
                "answer": (
                    "Any. Django has built-in translation tools, so I can make the site bilingual or "
                    "multilingual from the start."
                ),
            }
        ],
        "color": "#118ab2",
        "rating": (5.0, 7),
        "orders": 9,
    },
    {
        "seller": "olga_texts",
        "category": ("writing", "copywriting"),
        "title": "Напишу продающие тексты для лендинга и сайта",
        "description": (
            "Пишу тексты, которые объясняют, почему стоит купить именно у вас. Без "
            "«индивидуального подхода» и «высокого качества» — только конкретика, цифры и выгоды "
            "для клиента.\n\n"
            "**Как работаю:**\n"
            "- задаю вопросы о продукте и аудитории, изучаю сайты конкурентов;\n"
            "- собираю боли, возражения и мотивы покупателей;\n"
            "- предлагаю структуру страницы: оффер, выгоды, кейсы, ответы на возражения, призыв "
            "к действию;\n"
            "- пишу текст и размечаю его для дизайнера: заголовки, подзаголовки, кнопки.\n\n"
            "За 9 лет написала более 600 текстов для сайтов онлайн-школ, клиник, производств, "
            "сервисов доставки и IT-продуктов. Проверяю тексты на уникальность и читаемость, "
            "соблюдаю нормы русского языка и ваш тон общения с клиентами."
        ),
        "tags": ["копирайтинг", "продающий текст", "лендинг", "тексты для сайта"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Текст для одного блока или страницы услуги до 3 000 знаков",
                "price": 1500,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Текст лендинга до 7 000 знаков со структурой и прототипом",
                "price": 4500,
                "days": 4,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Тексты для сайта до 5 страниц, до 20 000 знаков, анализ конкурентов",
                "price": 11000,
                "days": 8,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Срочно за 1 день", "price": 1000, "days": 0, "urgent": 1},
            {"title": "5 вариантов заголовка для A/B-теста", "price": 700, "days": 0},
        ],
        "questions": [
            {"text": "Расскажите о продукте: что продаёте, кому и чем вы лучше конкурентов", "kind": "text"},
            {"text": "Какой тон текста нужен?", "kind": "choice", "choices": ["Деловой", "Дружелюбный", "Экспертный"]},
        ],
        "faqs": [
            {
                "question": "Вы пишете SEO-тексты?",
                "answer": (
                    "Да, вписываю ключевые запросы естественно, без переспама. Пришлите семантику или "
                    "закажите подбор запросов отдельно."
                ),
            }
        ],
        "color": "#c2185b",
        "rating": (4.9, 95),
        "orders": 164,
    },
    {
        "seller": "olga_texts",
        "category": ("writing", "articles"),
        "title": "Напишу экспертную SEO-статью для блога компании",
        "description": (
            "Статьи в блоге годами приводят бесплатный поисковый трафик, если действительно "
            "отвечают на вопросы читателей. Я пишу материалы, которые дочитывают и сохраняют.\n\n"
            "**Что входит:**\n"
            "- анализ выдачи по вашему запросу и статей конкурентов;\n"
            "- план статьи с подзаголовками H2–H3, который согласую до начала работы;\n"
            "- текст с примерами, списками, таблицами и выводами;\n"
            "- естественное вхождение ключевых слов без переспама;\n"
            "- мета-теги Title и Description;\n"
            "- проверка уникальности (от 90%) и грамотности.\n\n"
            "Пишу на темы маркетинга, бизнеса, финансов, образования, HR, ремонта и здоровья "
            "(без медицинских рекомендаций). Для сложных тем опираюсь на ваших экспертов: "
            "пришлите пару тезисов или ответьте на вопросы, и статья получится живой и точной."
        ),
        "tags": ["статья", "seo-статья", "блог", "контент"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Статья до 5 000 знаков по готовому плану",
                "price": 1200,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Статья до 10 000 знаков с анализом выдачи, планом и мета-тегами",
                "price": 2500,
                "days": 4,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Лонгрид до 20 000 знаков с интервью эксперта и подбором иллюстраций",
                "price": 5500,
                "days": 7,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Подбор семантики для статьи", "price": 800, "days": 1},
            {"title": "Размещение статьи на вашем сайте", "price": 500, "days": 1},
        ],
        "questions": [
            {"text": "Тема статьи и ключевые запросы (если есть)", "kind": "text"},
            {"text": "Для кого статья?", "kind": "choice", "choices": ["Новички", "Специалисты", "Руководители"]},
            {"text": "Приложите требования к текстам или примеры статей", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Можно заказать серию статей?",
                "answer": (
                    "Да. Для серии от 5 статей составлю контент-план и сделаю скидку. Напишите в "
                    "сообщения объём и темы."
                ),
            }
        ],
        "color": "#8e44ad",
        "rating": (4.8, 57),
        "orders": 89,
    },
    {
        "seller": "olga_texts",
        "category": ("writing", "translation"),
        "title": "Переведу тексты с английского на русский и с русского на английский",
        "description": (
            "Выполняю письменные переводы EN↔RU для бизнеса: сайты, договоры, инструкции, "
            "презентации, описания товаров, статьи и деловая переписка. Работаю переводчиком 9 лет.\n\n"
            "**Почему со мной удобно:**\n"
            "- перевожу смысл, а не слова: текст звучит естественно для носителя языка;\n"
            "- сохраняю форматирование документа — таблицы, списки, заголовки;\n"
            "- веду глоссарий, чтобы переводы одного проекта были единообразными;\n"
            "- перепроверяю цифры, даты, названия и единицы измерения.\n\n"
            "**Тематики:** маркетинг, IT, электронная коммерция, туризм, образование, общая "
            "техническая документация. Не беру медицинские заключения и документы, требующие "
            "нотариального заверения. Машинный перевод не использую: каждый абзац перевожу и "
            "вычитываю сама."
        ),
        "tags": ["перевод", "переводы", "английский язык", "переводчик"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Перевод до 1 800 знаков (1 страница)",
                "price": 600,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Перевод до 9 000 знаков с глоссарием терминов",
                "price": 2800,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Перевод до 25 000 знаков с вычиткой вторым редактором",
                "price": 8000,
                "days": 6,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Срочный перевод в течение дня", "price": 800, "days": 0, "urgent": 1},
            {"title": "Вёрстка перевода в исходном формате", "price": 700, "days": 1},
        ],
        "questions": [
            {"text": "Загрузите текст для перевода", "kind": "file"},
            {
                "text": "Направление перевода",
                "kind": "choice",
                "choices": ["С английского на русский", "С русского на английский"],
            },
            {
                "text": "Где будет использоваться перевод и есть ли требования к терминологии?",
                "kind": "text",
                "required": False,
            },
        ],
        "faqs": [
            {
                "question": "Сколько стоит перевод большого документа?",
                "answer": (
                    "Ориентируйтесь на пакет «Бизнес» за каждые 25 000 знаков. Для объёма от 100 000 "
                    "знаков назову индивидуальную цену и сроки."
                ),
            }
        ],
        "color": "#1d6fa5",
        "rating": (5.0, 112),
        "orders": 187,
    },
    {
        "seller": "olga_texts",
        "category": ("writing", "proofreading"),
        "title": "Вычитаю и отредактирую текст: орфография, стиль, структура",
        "description": (
            "Исправлю ошибки и сделаю текст понятнее. Подходит для статей, текстов сайтов, "
            "рассылок, книг, отчётов и коммерческих предложений.\n\n"
            "**Два вида работы:**\n"
            "- **корректура** — орфография, пунктуация, опечатки, единообразие написания;\n"
            "- **редактура** — убираю канцелярит и повторы, разбиваю длинные предложения, "
            "проверяю логику и факты, предлагаю более точные формулировки.\n\n"
            "Все правки делаю в режиме рецензирования, чтобы вы видели каждое изменение и могли "
            "принять или отклонить его. Спорные места отмечаю комментариями с объяснением. В "
            "конце присылаю чистую версию текста.\n\n"
            "Опираюсь на нормы русского языка и академические справочники. Сохраняю авторский "
            "голос: делаю текст лучше, а не переписываю его под себя."
        ),
        "tags": ["корректура", "редактура", "вычитка", "грамотность"],
        "packages": [
            {"name": "Эконом", "description": "Корректура до 10 000 знаков", "price": 700, "days": 1, "revisions": 1},
            {
                "name": "Стандарт",
                "description": "Корректура и лёгкая редактура до 20 000 знаков",
                "price": 1800,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Бизнес",
                "description": "Глубокая редактура до 40 000 знаков с комментариями к структуре",
                "price": 4500,
                "days": 5,
                "revisions": 2,
            },
        ],
        "extras": [{"title": "Вычитка после вёрстки в PDF", "price": 800, "days": 1}],
        "questions": [
            {"text": "Загрузите файл с текстом", "kind": "file"},
            {
                "text": "Что нужно сделать?",
                "kind": "choice",
                "choices": ["Только корректура", "Корректура и редактура", "Не уверен, посоветуйте"],
            },
        ],
        "faqs": [
            {
                "question": "Проверяете тексты на английском?",
                "answer": (
                    "Вычитываю английские тексты на грамматику и стиль, но для публикации на зарубежную "
                    "аудиторию рекомендую дополнительную проверку носителем языка."
                ),
            }
        ],
        "color": "#7a9e7e",
        "rating": (4.9, 41),
        "orders": 66,
    },
    {
        "seller": "olga_texts",
        "category": ("writing", "resumes"),
        "title": "Составлю резюме и сопроводительное письмо, которые дочитают",
        "description": (
            "Рекрутер тратит на резюме меньше минуты. Я помогу сделать так, чтобы за это время "
            "он увидел ваши сильные стороны и захотел пригласить вас на собеседование.\n\n"
            "**Как работаю:**\n"
            "- изучаю ваш опыт по анкете и уточняю детали в переписке;\n"
            "- анализирую 3–5 вакансий, на которые вы откликаетесь;\n"
            "- переписываю обязанности в достижения с цифрами и результатами;\n"
            "- добавляю ключевые навыки, по которым резюме находят в поиске на сайтах с вакансиями;\n"
            "- оформляю документ аккуратно и без лишних украшений.\n\n"
            "Вы получите резюме в DOCX и PDF, а также текст для профиля на сайтах с вакансиями. "
            "Сопроводительное письмо пишу под конкретную вакансию: шаблонные письма работают "
            "плохо. Ваши данные используются только для вашего резюме."
        ),
        "tags": ["резюме", "сопроводительное письмо", "карьера", "поиск работы"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Редактура вашего резюме и рекомендации по улучшению",
                "price": 1000,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Резюме с нуля по анкете, файлы DOCX и PDF",
                "price": 2500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Резюме, сопроводительное письмо и версия резюме на английском",
                "price": 5000,
                "days": 5,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Дополнительное сопроводительное письмо", "price": 700, "days": 0},
            {"title": "Оформление профиля в профессиональной соцсети", "price": 1200, "days": 1},
        ],
        "questions": [
            {"text": "На какую должность и в какой сфере вы ищете работу?", "kind": "text"},
            {"text": "Загрузите текущее резюме, если оно есть", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Поможете сменить профессию?",
                "answer": (
                    "Да. Покажу, какой опыт и навыки из прошлой работы ценны в новой сфере, и сделаю "
                    "акцент на обучении и проектах."
                ),
            }
        ],
        "color": "#b5838d",
        "rating": (4.8, 33),
        "orders": 48,
    },
    {
        "seller": "olga_texts",
        "category": ("writing", "translation"),
        "title": "I will translate your website or app from English to Russian",
        "description": (
            "Planning to enter Russian-speaking markets? I will localize your website, app, "
            "product pages or marketing materials so they read as if they had been written in "
            "Russian from the start.\n\n"
            "**What you get:**\n"
            "- human translation by a native Russian speaker with 9 years of experience;\n"
            "- localization, not just translation: units, date formats, currency and cultural "
            "references are adapted;\n"
            "- consistent terminology with a glossary you can reuse;\n"
            "- support for common localization files such as JSON, PO, XLIFF, CSV and DOCX;\n"
            "- a final check of the translation in context if you give me access to a staging version.\n\n"
            "I specialise in software, e-commerce, online education and travel. No machine "
            "translation is used: every sentence is translated and proofread by me. I am happy "
            "to translate from Russian to English as well."
        ),
        "tags": ["translation", "localization", "english to russian", "website translation"],
        "packages": [
            {
                "name": "Basic",
                "description": "Translation of up to 500 words",
                "price": 1000,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "Up to 2,000 words with a glossary of key terms",
                "price": 3500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Up to 5,000 words, localization files and an in-context review",
                "price": 8000,
                "days": 6,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "24-hour delivery", "price": 1000, "days": 0},
            {"title": "Keyword research in Russian", "price": 1500, "days": 1},
        ],
        "questions": [
            {"text": "Upload the text or localization files", "kind": "file"},
            {"text": "Who is your target audience, and do you have a style guide?", "kind": "text"},
        ],
        "faqs": [
            {
                "question": "Do you translate legal documents?",
                "answer": (
                    "I translate contracts and terms of service for business use, but I do not provide "
                    "certified or notarised translations."
                ),
            }
        ],
        "color": "#0081a7",
        "rating": (4.9, 26),
        "orders": 38,
    },
    {
        "seller": "olga_texts",
        "category": ("writing", "articles"),
        "title": "I will write SEO blog articles in Russian for your company",
        "description": (
            "Want your blog to rank in Russian-language search and speak to customers in their "
            "native language? I write original articles in Russian based on your brief, keywords "
            "and brand voice.\n\n"
            "**How it works:**\n"
            "- you send a topic or keywords, or I suggest topics based on search demand;\n"
            "- I prepare an outline with headings and agree it with you;\n"
            "- I write the article with examples, lists and a clear conclusion;\n"
            "- you get a meta title and description, plus an English summary so you know exactly "
            "what was written.\n\n"
            "Every article is original, checked for grammar and readability, and free of keyword "
            "stuffing. Topics I know well: marketing, software, e-commerce, education, travel "
            "and personal finance. For technical topics, I am happy to work from notes by your "
            "in-house experts."
        ),
        "tags": ["article writing", "seo content", "russian copywriting", "blog"],
        "packages": [
            {"name": "Basic", "description": "Article of up to 800 words", "price": 1500, "days": 2, "revisions": 1},
            {
                "name": "Standard",
                "description": "Article of up to 1,500 words with an outline and meta tags",
                "price": 3000,
                "days": 4,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Long-read of up to 3,000 words with keyword research",
                "price": 6000,
                "days": 7,
                "revisions": 3,
            },
        ],
        "extras": [{"title": "10 topic ideas for your content plan", "price": 1000, "days": 1}],
        "questions": [
            {"text": "Topic, target keywords and the audience of the article", "kind": "text"},
            {"text": "Tone of voice", "kind": "choice", "choices": ["Formal", "Friendly", "Expert"]},
        ],
        "faqs": [
            {
                "question": "Can I get the articles in English too?",
                "answer": (
                    "Yes, I can write a parallel English version or translate the finished Russian text. "
                    "Message me for a quote."
                ),
            }
        ],
        "color": "#9c6644",
        "rating": (4.7, 11),
        "orders": 14,
    },
    {
        "seller": "sergey_video",
        "category": ("video-audio", "video-editing"),
        "title": "Смонтирую динамичные вертикальные ролики для соцсетей",
        "description": (
            "Сделаю из ваших исходников короткие вертикальные видео длиной 15–60 секунд, которые "
            "досматривают до конца. Работаю с экспертами, блогерами, магазинами и локальным бизнесом.\n\n"
            "**Что входит в монтаж:**\n"
            "- сильный хук в первые 3 секунды;\n"
            "- динамичная склейка без пауз и оговорок;\n"
            "- анимированные субтитры: большинство смотрит ролики без звука;\n"
            "- музыка из библиотек с коммерческой лицензией;\n"
            "- цветокоррекция и выравнивание звука;\n"
            "- обложка для ролика.\n\n"
            "Могу нарезать короткие ролики из длинного интервью, вебинара или подкаста, выбрав "
            "самые яркие моменты. Отдаю видео в MP4 1080×1920, готовое к публикации. Для "
            "регулярной работы есть пакеты от 10 роликов в месяц — напишите в сообщения."
        ),
        "tags": ["монтаж видео", "вертикальные видео", "короткие ролики", "субтитры"],
        "packages": [
            {
                "name": "Эконом",
                "description": "1 ролик до 30 секунд, субтитры, музыка",
                "price": 800,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "3 ролика до 60 секунд, анимированные субтитры, обложки",
                "price": 2200,
                "days": 2,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "7 роликов, нарезка из длинного видео, единый стиль и обложки",
                "price": 5000,
                "days": 4,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Срочно за 12 часов", "price": 700, "days": 0, "urgent": 1},
            {"title": "Стиль субтитров под ваш бренд", "price": 500, "days": 0},
        ],
        "questions": [
            {"text": "Загрузите исходники видео или архив с ними", "kind": "file"},
            {
                "text": "Какой стиль монтажа нужен?",
                "kind": "choice",
                "choices": ["Динамичный", "Спокойный", "Как в моём примере"],
            },
            {"text": "Опишите ролики, которые вам нравятся, если такие есть", "kind": "text", "required": False},
        ],
        "faqs": [
            {
                "question": "Нужно ли мне снимать самому?",
                "answer": (
                    "Да, я работаю с вашими исходниками. Подскажу, как снимать на телефон, чтобы "
                    "картинка и звук были хорошими: свет, фон, петличный микрофон."
                ),
            }
        ],
        "color": "#ef476f",
        "rating": (4.9, 84),
        "orders": 151,
    },
    {
        "seller": "sergey_video",
        "category": ("video-audio", "motion"),
        "title": "Создам анимационный ролик-объяснялку о вашем продукте",
        "description": (
            "Анимационный ролик на 60–90 секунд объяснит то, на что в тексте уйдёт целая "
            "страница: как работает сервис, почему ваш продукт удобнее и что клиенту сделать "
            "дальше. Такие видео хорошо работают на главной странице сайта, в рекламе и на "
            "презентациях.\n\n"
            "**Этапы работы:**\n"
            "- сценарий: помогу написать или доработаю ваш;\n"
            "- раскадровка: согласуем каждую сцену до анимации;\n"
            "- иллюстрации в плоском стиле в цветах вашего бренда;\n"
            "- анимация персонажей, инфографики и интерфейсов;\n"
            "- озвучка диктором, музыка и звуковые эффекты.\n\n"
            "Готовое видео отдаю в MP4 Full HD или 4K в нужных пропорциях: 16:9 для сайта, 1:1 и "
            "9:16 для соцсетей. Правки вносим после каждого этапа, поэтому в финале не будет сюрпризов."
        ),
        "tags": ["моушн-дизайн", "анимация", "анимационный ролик", "2d-анимация"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Анимация инфографики или текста до 30 секунд",
                "price": 6000,
                "days": 5,
                "revisions": 2,
            },
            {
                "name": "Стандарт",
                "description": "Ролик-объяснялка до 60 секунд: сценарий, иллюстрации, музыка",
                "price": 18000,
                "days": 10,
                "revisions": 3,
            },
            {
                "name": "Бизнес",
                "description": "Ролик до 90 секунд с персонажами, озвучкой диктором и 3 форматами",
                "price": 35000,
                "days": 18,
                "revisions": 4,
            },
        ],
        "extras": [
            {"title": "Дополнительный формат 1:1 или 9:16", "price": 2000, "days": 1},
            {"title": "Исходники проекта", "price": 3000, "days": 0},
        ],
        "questions": [
            {"text": "Расскажите о продукте и о том, что должен понять зритель", "kind": "text"},
            {
                "text": "Есть ли сценарий?",
                "kind": "choice",
                "choices": ["Да, готов", "Есть черновик", "Нет, нужна помощь"],
            },
            {"text": "Приложите логотип, брендбук и примеры роликов", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Почему анимация стоит дороже монтажа?",
                "answer": (
                    "Каждую сцену рисуют и анимируют с нуля: на минуту ролика уходит 40–60 часов работы "
                    "иллюстратора и аниматора."
                ),
            }
        ],
        "color": "#ffb703",
        "rating": (5.0, 19),
        "orders": 23,
    },
    {
        "seller": "sergey_video",
        "category": ("video-audio", "voice-over"),
        "title": "Озвучу рекламу, ролик или автоответчик мужским голосом",
        "description": (
            "Профессионально озвучу текст мужским голосом: баритон, подача от дружелюбной до "
            "уверенной деловой. Записываю в акустически подготовленной студии на конденсаторный "
            "микрофон, поэтому звук чистый, без эха и шумов.\n\n"
            "**Что озвучиваю:**\n"
            "- рекламные ролики для радио, видео и соцсетей;\n"
            "- объясняющие видео и презентации;\n"
            "- голосовые меню и автоответчики;\n"
            "- аудиокниги, лекции, онлайн-курсы;\n"
            "- закадровый перевод и дубляж.\n\n"
            "Перед записью размечаю текст: ударения, паузы, логические акценты. Сложные термины "
            "и названия уточняю заранее. Отдаю файлы WAV 48 кГц и MP3, очищенные и выровненные "
            "по громкости. По желанию свожу голос с музыкой и подгоняю под хронометраж видео."
        ),
        "tags": ["озвучка", "диктор", "голос", "запись голоса"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Озвучка до 300 знаков, 1 дубль",
                "price": 600,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Озвучка до 1 500 знаков, 2 дубля с разной подачей",
                "price": 1500,
                "days": 2,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Озвучка до 5 000 знаков, сведение с музыкой, подгонка под видео",
                "price": 4000,
                "days": 3,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Запись в течение 3 часов", "price": 800, "days": 0},
            {"title": "Сведение голоса с музыкой", "price": 700, "days": 0},
            {"title": "Дубль на английском языке", "price": 1000, "days": 1},
        ],
        "questions": [
            {"text": "Вставьте текст для озвучки и отметьте сложные ударения", "kind": "text"},
            {
                "text": "Какая подача нужна?",
                "kind": "choice",
                "choices": ["Дружелюбная", "Деловая", "Энергичная рекламная", "Спокойная"],
            },
            {"text": "Приложите видео, если нужна синхронизация", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Можно послушать свой текст до заказа?",
                "answer": (
                    "Пришлите пару предложений в сообщения — бесплатно запишу короткое демо, чтобы вы оценили тембр."
                ),
            }
        ],
        "color": "#3d405b",
        "rating": (4.9, 62),
        "orders": 109,
    },
    {
        "seller": "sergey_video",
        "category": ("video-audio", "intros"),
        "title": "Сделаю анимированную заставку с вашим логотипом для видео",
        "description": (
            "Короткая заставка на 5–10 секунд делает ваши видео узнаваемыми и профессиональными. "
            "Анимирую логотип так, чтобы он «ожил» в стиле бренда: мягко и элегантно, динамично "
            "и ярко или технологично, с эффектами частиц.\n\n"
            "**Вы получите:**\n"
            "- интро с логотипом и названием канала или компании;\n"
            "- звуковое оформление, подобранное под анимацию;\n"
            "- аутро с призывом подписаться — в пакетах «Стандарт» и «Бизнес»;\n"
            "- версии в MP4 и с прозрачным фоном (MOV), чтобы накладывать поверх любого видео.\n\n"
            "Для анимации лучше всего подходят логотипы в векторе (SVG, AI, PDF). Если есть "
            "только картинка PNG, отрисую вектор сам. Перед финальным рендером присылаю превью в "
            "низком качестве на согласование."
        ),
        "tags": ["интро", "заставка", "анимация логотипа", "логотип"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Интро до 5 секунд на основе готового стиля анимации, MP4",
                "price": 1000,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Уникальное интро до 10 секунд + аутро, звук, MP4 и MOV с альфа-каналом",
                "price": 3500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Пакет оформления канала: интро, аутро, плашки для имени и переходы",
                "price": 8000,
                "days": 6,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Отрисовка логотипа в векторе", "price": 800, "days": 1},
            {"title": "Версия 9:16 для вертикальных видео", "price": 700, "days": 1},
        ],
        "questions": [
            {"text": "Загрузите логотип, лучше в векторе", "kind": "file"},
            {
                "text": "Какое настроение анимации?",
                "kind": "choice",
                "choices": ["Элегантное", "Динамичное", "Технологичное", "Весёлое"],
            },
        ],
        "faqs": [
            {
                "question": "Можно использовать заставку в рекламе?",
                "answer": (
                    "Да. Все права на анимацию передаются вам, а музыку подбираю из библиотек с коммерческой лицензией."
                ),
            }
        ],
        "color": "#7209b7",
        "rating": (4.8, 39),
        "orders": 60,
    },
    {
        "seller": "sergey_video",
        "category": ("video-audio", "video-editing"),
        "title": "I will edit engaging long-form videos for your channel",
        "description": (
            "Send me your raw footage, and I will turn it into a polished video that keeps "
            "viewers watching. I edit talking-head videos, tutorials, interviews, vlogs and "
            "video podcasts for creators and companies.\n\n"
            "**What I do:**\n"
            "- cut out mistakes, long pauses and filler words;\n"
            "- add B-roll, zooms, simple graphics and text callouts to keep the pace;\n"
            "- colour correction so all your footage looks consistent;\n"
            "- audio clean-up: noise reduction, levelling and background music;\n"
            "- burned-in captions or a separate SRT file;\n"
            "- a chapter list and a frame ready for the thumbnail.\n\n"
            "I usually deliver the first cut within 2-3 days and collect your comments in one "
            "round, so revisions are quick. Final export is MP4 (H.264) up to 4K. I also work "
            "with multi-camera recordings and screen captures."
        ),
        "tags": ["video editing", "long-form video", "captions", "color correction"],
        "packages": [
            {
                "name": "Basic",
                "description": "Edit up to 10 minutes of footage: cuts and music",
                "price": 2500,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "Up to 20 minutes: B-roll, captions, colour correction",
                "price": 5500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Up to 40 minutes: motion graphics, sound design and 3 short clips",
                "price": 11000,
                "days": 5,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Custom thumbnail design", "price": 800, "days": 1},
            {"title": "Extra 10 minutes of footage", "price": 1500, "days": 1},
        ],
        "questions": [
            {"text": "Upload your raw footage or an archive with all files", "kind": "file"},
            {"text": "Describe the style you want and any videos you like as a reference", "kind": "text"},
        ],
        "faqs": [
            {
                "question": "Do you work with footage in Russian?",
                "answer": "Yes, I edit videos in both English and Russian, and I can add subtitles in either language.",
            }
        ],
        "color": "#e63946",
        "rating": (4.9, 24),
        "orders": 31,
    },
    {
        "seller": "sergey_video",
        "category": ("video-audio", "audio-editing"),
        "title": "I will edit, clean up and master your podcast audio",
        "description": (
            "Great content deserves clear sound. I will turn your raw podcast recordings into a "
            "clean, balanced episode that is pleasant to hear in headphones, in a car or on a "
            "laptop speaker.\n\n"
            "**Editing includes:**\n"
            "- removing ums, long pauses, cross-talk and false starts;\n"
            "- noise, hum and echo reduction;\n"
            "- EQ and compression so voices sound warm and even;\n"
            "- levelling guests recorded on different microphones;\n"
            "- adding your intro, outro and music beds;\n"
            "- mastering to -16 LUFS, the usual loudness target for podcasts.\n\n"
            "You receive a final MP3 and a high-quality WAV. For video podcasts I can sync the "
            "cleaned audio back to the video. Regular shows get a fixed per-episode price and a "
            "consistent sound from episode to episode."
        ),
        "tags": ["podcast editing", "audio editing", "mixing", "mastering"],
        "packages": [
            {
                "name": "Basic",
                "description": "Clean-up and mastering of up to 20 minutes",
                "price": 1200,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "Full edit of up to 45 minutes with intro, outro and timestamps",
                "price": 2800,
                "days": 2,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Full edit of up to 90 minutes, up to 4 speakers, sound design",
                "price": 5500,
                "days": 3,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Sync cleaned audio to video", "price": 1200, "days": 1},
            {"title": "Episode transcript", "price": 1500, "days": 1},
        ],
        "questions": [
            {"text": "Upload the raw audio, ideally a separate track per speaker", "kind": "file"},
            {
                "text": "How was the episode recorded?",
                "kind": "choice",
                "choices": ["In a studio", "Remote call", "Phone or camera"],
            },
        ],
        "faqs": [
            {
                "question": "Can you fix a badly recorded episode?",
                "answer": (
                    "I can improve it significantly, but heavily distorted audio cannot be fully "
                    "restored. Send me a 1-minute sample first, and I will tell you what to expect."
                ),
            }
        ],
        "color": "#457b9d",
        "rating": (5.0, 10),
        "orders": 12,
    },
    {
        "seller": "marketing_lena",
        "category": ("marketing", "seo"),
        "title": "Проведу SEO-аудит сайта и составлю план продвижения",
        "description": (
            "Найду, что мешает вашему сайту подниматься в поиске, и составлю понятный план: что "
            "исправить, в каком порядке и какой эффект это даст. Продвижением сайтов занимаюсь 7 "
            "лет: интернет-магазины, услуги, медицинские центры, B2B.\n\n"
            "**Что проверяю:**\n"
            "- техническое состояние: индексация, дубли, скорость, ошибки 404, редиректы, "
            "мобильная версия;\n"
            "- структуру сайта и соответствие страниц поисковым запросам;\n"
            "- мета-теги, заголовки и качество текстов;\n"
            "- коммерческие факторы: цены, контакты, доверие;\n"
            "- ссылочный профиль и позиции конкурентов.\n\n"
            "**Результат:** отчёт в таблице и PDF с приоритетами задач и готовыми ТЗ для "
            "программиста и копирайтера. Отдельно разберу 5–10 быстрых улучшений, которые можно "
            "внедрить за неделю."
        ),
        "tags": ["seo", "seo-аудит", "продвижение сайтов", "поисковая оптимизация"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Экспресс-аудит по 30 ключевым пунктам, список ошибок",
                "price": 3000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Полный аудит сайта до 500 страниц с ТЗ на исправления",
                "price": 8000,
                "days": 5,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Аудит, семантическое ядро и план продвижения на 3 месяца",
                "price": 18000,
                "days": 10,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Ответы на вопросы по аудиту в течение недели", "price": 1500, "days": 0},
            {"title": "Проверка внедрения правок", "price": 2500, "days": 2},
        ],
        "questions": [
            {"text": "Адрес сайта и регион продвижения", "kind": "text"},
            {
                "text": "На чём сделан сайт?",
                "kind": "choice",
                "choices": ["Самописный движок", "Популярная CMS", "Конструктор сайтов", "Не знаю"],
            },
            {"text": "Какие цели: заявки, продажи, трафик? Есть ли доступ к веб-аналитике?", "kind": "text"},
        ],
        "faqs": [
            {
                "question": "Гарантируете попадание в топ?",
                "answer": (
                    "Честно — нет, и никто не может этого гарантировать. Я гарантирую полный список "
                    "проблем и понятный план, который реально поднимает сайт в выдаче."
                ),
            }
        ],
        "color": "#2a9d8f",
        "rating": (4.9, 47),
        "orders": 63,
    },
    {
        "seller": "marketing_lena",
        "category": ("marketing", "context-ads"),
        "title": "Настрою контекстную рекламу в поиске и рекламной сети под ключ",
        "description": (
            "Запущу контекстную рекламу, которая приводит заявки по приемлемой цене, а не просто "
            "расходует бюджет. Работаю с малым и средним бизнесом: услуги, интернет-магазины, "
            "онлайн-школы, B2B.\n\n"
            "**Что я делаю:**\n"
            "- собираю семантику и минус-слова, чтобы не платить за нецелевые показы;\n"
            "- разделяю запросы на группы и пишу объявления под каждую;\n"
            "- настраиваю кампании на поиске и в рекламной сети, включая ретаргетинг;\n"
            "- подключаю цели и электронную коммерцию в системе аналитики;\n"
            "- готовлю UTM-разметку, чтобы было видно, какое объявление приносит продажи.\n\n"
            "После запуска 2 недели бесплатно веду кампании: корректирую ставки, отключаю "
            "неэффективные запросы и присылаю отчёт. Рекламный бюджет вы пополняете сами в своём "
            "кабинете, доступа к деньгам у меня нет."
        ),
        "tags": ["контекстная реклама", "реклама", "ppc", "ретаргетинг"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Поисковая кампания до 100 ключевых фраз",
                "price": 5000,
                "days": 3,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Поиск + рекламная сеть, до 300 фраз, ретаргетинг и цели",
                "price": 12000,
                "days": 6,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Полная настройка до 1000 фраз, товарная кампания, ведение 1 месяц",
                "price": 25000,
                "days": 10,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Аудит текущих рекламных кампаний", "price": 3000, "days": 1},
            {"title": "Ведение кампаний ещё 1 месяц", "price": 10000, "days": 0},
        ],
        "questions": [
            {"text": "Что рекламируем и в каком регионе?", "kind": "text"},
            {
                "text": "Какой рекламный бюджет в месяц?",
                "kind": "choice",
                "choices": ["До 30 000 ₽", "30 000–100 000 ₽", "Более 100 000 ₽"],
            },
        ],
        "faqs": [
            {
                "question": "Какой бюджет нужен для старта?",
                "answer": (
                    "Зависит от ниши и региона. Перед запуском оценю стоимость клика по вашим запросам и "
                    "подскажу минимальный бюджет для теста — обычно от 20–30 тысяч рублей в месяц."
                ),
            }
        ],
        "color": "#f4a261",
        "rating": (4.8, 36),
        "orders": 49,
    },
    {
        "seller": "marketing_lena",
        "category": ("marketing", "smm"),
        "title": "Составлю контент-план и буду вести соцсети вашего бренда",
        "description": (
            "Возьму на себя ведение соцсетей бренда: от стратегии до ежедневных публикаций. Вам "
            "останется согласовывать посты и отвечать клиентам, которые пришли из соцсетей.\n\n"
            "**Что входит:**\n"
            "- анализ аудитории и аккаунтов конкурентов;\n"
            "- стратегия и рубрикатор: полезные, продающие, вовлекающие и имиджевые посты;\n"
            "- контент-план на месяц в удобной таблице;\n"
            "- тексты постов и сценарии коротких видео;\n"
            "- оформление публикаций в едином стиле по шаблонам;\n"
            "- ежемесячный отчёт: охваты, вовлечённость, переходы и заявки.\n\n"
            "Веду сообщества в популярных соцсетях и каналы в мессенджерах. Работаю с "
            "экспертами, кафе, салонами, магазинами одежды и онлайн-школами. Начинаем с тестовой "
            "недели, чтобы вы убедились, что стиль и тон вам подходят."
        ),
        "tags": ["smm", "соцсети", "контент-план", "ведение соцсетей"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Стратегия и контент-план на месяц (12 постов) без публикаций",
                "price": 4000,
                "days": 3,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Контент-план и 12 готовых постов с текстами и оформлением",
                "price": 12000,
                "days": 7,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Ведение соцсети 1 месяц: 20 постов, сторис, ответы на комментарии, отчёт",
                "price": 25000,
                "days": 30,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Ещё одна соцсеть", "price": 6000, "days": 0},
            {"title": "Шаблоны оформления постов", "price": 2500, "days": 2},
        ],
        "questions": [
            {"text": "Чем занимается ваш бизнес и кто ваши клиенты?", "kind": "text"},
            {"text": "Сколько соцсетей нужно вести?", "kind": "choice", "choices": ["Одну", "Две", "Три и более"]},
            {"text": "Приложите фирменный стиль, логотипы и фото", "kind": "file", "required": False},
        ],
        "faqs": [
            {
                "question": "Кто делает фото и видео?",
                "answer": (
                    "Я работаю с вашими материалами и бесплатными фотобанками. Если нужна съёмка, "
                    "подскажу, что снимать, и дам список кадров на месяц."
                ),
            }
        ],
        "color": "#e76f51",
        "rating": (4.7, 29),
        "orders": 42,
    },
    {
        "seller": "marketing_lena",
        "category": ("marketing", "targeting"),
        "title": "Настрою таргетированную рекламу и приведу заявки из соцсетей",
        "description": (
            "Настрою таргет так, чтобы рекламу видели те, кто готов купить, а не все подряд. "
            "Работаю с рекламными кабинетами популярных соцсетей.\n\n"
            "**Как строю работу:**\n"
            "- разбираю продукт и сегменты аудитории: интересы, поведение, похожие аудитории, "
            "ретаргетинг;\n"
            "- готовлю 5–10 креативов и тексты объявлений для тестов;\n"
            "- настраиваю пиксель и события, чтобы считать заявки, а не клики;\n"
            "- запускаю тестовые кампании на небольшой бюджет;\n"
            "- оставляю связки, которые дают заявки дешевле, и масштабирую их.\n\n"
            "По итогам присылаю отчёт: сколько потрачено, сколько получено заявок, во сколько "
            "обошлась каждая и что делать дальше. Лучше всего таргет работает для услуг, "
            "онлайн-школ, мероприятий, товаров для дома и детей."
        ),
        "tags": ["таргетинг", "таргетированная реклама", "реклама в соцсетях", "лидогенерация"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Настройка 1 кампании: 3 креатива, 2 аудитории",
                "price": 4000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Тест до 5 аудиторий, 8 креативов, пиксель и события, отчёт",
                "price": 10000,
                "days": 5,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Запуск и ведение 1 месяц, масштабирование, еженедельные отчёты",
                "price": 22000,
                "days": 30,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Дизайн 5 дополнительных креативов", "price": 2000, "days": 1},
            {"title": "Сбор аудиторий по сообществам конкурентов", "price": 1500, "days": 1},
        ],
        "questions": [
            {"text": "Что продаёте и кто ваш идеальный клиент?", "kind": "text"},
            {
                "text": "Куда ведём трафик?",
                "kind": "choice",
                "choices": ["На сайт", "В сообщество", "В мессенджер или лид-форму"],
            },
        ],
        "faqs": [
            {
                "question": "Сколько заявок я получу?",
                "answer": (
                    "Точное число до теста назвать нельзя. После первой недели станет понятна стоимость "
                    "заявки, и я спрогнозирую результат на месяц."
                ),
            }
        ],
        "color": "#4361ee",
        "rating": (4.6, 22),
        "orders": 35,
    },
    {
        "seller": "marketing_lena",
        "category": ("marketing", "marketplaces"),
        "title": "Подниму карточки товаров в поиске маркетплейса: SEO и аналитика",
        "description": (
            "Помогу продавцам на маркетплейсах получать больше показов и заказов без постоянного "
            "роста рекламного бюджета.\n\n"
            "**Что делаю:**\n"
            "- собираю поисковые запросы покупателей по вашей категории;\n"
            "- переписываю названия, описания и характеристики карточек с учётом запросов;\n"
            "- анализирую цены, отзывы и рейтинг конкурентов из топа выдачи;\n"
            "- проверяю заполнение всех атрибутов: от них зависит попадание в фильтры;\n"
            "- настраиваю внутреннюю рекламу и ставки по ключевым запросам;\n"
            "- даю рекомендации по фото, инфографике и работе с отзывами.\n\n"
            "В отчёте вы получите таблицу с позициями до и после оптимизации и список задач на "
            "следующий месяц. Работаю с одеждой, товарами для дома, косметикой, детскими "
            "товарами и электроникой."
        ),
        "tags": ["маркетплейсы", "seo карточек", "продвижение товаров", "аналитика продаж"],
        "packages": [
            {
                "name": "Эконом",
                "description": "SEO-оптимизация 1 карточки: название, описание, характеристики",
                "price": 1500,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Оптимизация до 5 карточек и анализ 10 конкурентов",
                "price": 6000,
                "days": 5,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "До 15 карточек, настройка внутренней рекламы и отчёт через 2 недели",
                "price": 15000,
                "days": 14,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Аудит отзывов и шаблоны ответов", "price": 1500, "days": 1},
            {"title": "Дополнительная карточка", "price": 1000, "days": 1},
        ],
        "questions": [
            {"text": "Какие товары продаёте и на какой площадке?", "kind": "text"},
            {"text": "Сколько сейчас заказов и показов в месяц?", "kind": "text", "required": False},
        ],
        "faqs": [
            {
                "question": "Нужен ли доступ в личный кабинет продавца?",
                "answer": (
                    "Для анализа достаточно артикулов товаров. Для правки карточек и рекламы понадобится "
                    "доступ сотрудника с ограниченными правами — подскажу, как его выдать."
                ),
            }
        ],
        "color": "#9b5de5",
        "rating": (4.8, 58),
        "orders": 92,
    },
    {
        "seller": "marketing_lena",
        "category": ("marketing", "analytics"),
        "title": "I will set up website analytics, goals and conversion tracking",
        "description": (
            "If you don't know which ad or page brings your customers, you are guessing with "
            "your budget. I will set up analytics so that every lead and sale is tracked back to "
            "its source.\n\n"
            "**What I set up:**\n"
            "- an analytics property with correct cross-domain and filter settings;\n"
            "- a tag manager container that keeps all tracking scripts in one place;\n"
            "- conversion events: form submissions, button clicks, purchases, sign-ups;\n"
            "- e-commerce tracking for online stores;\n"
            "- UTM naming rules for all your campaigns;\n"
            "- a simple dashboard with traffic, conversions and cost per lead.\n\n"
            "After the setup I test every event in debug mode and hand over a tracking plan, so "
            "your team knows what is measured and how. For two weeks after delivery I answer "
            "your questions about the new reports."
        ),
        "tags": ["web analytics", "conversion tracking", "tag manager", "website"],
        "packages": [
            {
                "name": "Basic",
                "description": "Analytics setup with up to 3 conversion goals",
                "price": 3000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "Tag manager, up to 10 events and a UTM guide",
                "price": 7000,
                "days": 4,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Full tracking plan, e-commerce tracking and a dashboard",
                "price": 15000,
                "days": 7,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Audit of your existing tracking", "price": 2500, "days": 1},
            {"title": "Monthly analytics report", "price": 4000, "days": 0},
        ],
        "questions": [
            {"text": "Which actions on your website count as conversions?", "kind": "text"},
            {
                "text": "What is your website built on?",
                "kind": "choice",
                "choices": ["Custom code", "Popular CMS", "Website builder", "E-commerce platform"],
            },
        ],
        "faqs": [
            {
                "question": "Will tracking slow down my website?",
                "answer": (
                    "No. Tags load asynchronously through the tag manager, and I remove duplicate or "
                    "unused scripts during the setup."
                ),
            }
        ],
        "color": "#06d6a0",
        "rating": (4.9, 8),
        "orders": 10,
    },
    {
        "seller": "marketing_lena",
        "category": ("marketing", "email-marketing"),
        "title": "I will create an email marketing campaign that converts",
        "description": (
            "Email is still one of the most profitable channels, as long as the letters are "
            "relevant. I will plan, write and design email campaigns that get opened, read and clicked.\n\n"
            "**What I do:**\n"
            "- audience segmentation based on behaviour and purchase history;\n"
            "- welcome series, abandoned cart and re-activation sequences;\n"
            "- subject lines and preview texts written for A/B testing;\n"
            "- responsive email designs that look good in popular mail apps;\n"
            "- setup in your email service with automation triggers;\n"
            "- deliverability checks: domain authentication, spam score and list hygiene.\n\n"
            "I write in English and Russian, so I can run campaigns for both audiences. After "
            "the first sends I review open and click rates and suggest what to improve next."
        ),
        "tags": ["email marketing", "newsletter", "email design", "automation"],
        "packages": [
            {
                "name": "Basic",
                "description": "1 promotional email: copy and design",
                "price": 2500,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "3-email welcome series with automation setup",
                "price": 7000,
                "days": 5,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Full automation: welcome, abandoned cart and re-activation, up to 8 emails",
                "price": 16000,
                "days": 10,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "HTML email template for your team", "price": 3000, "days": 2},
            {"title": "List cleaning and segmentation", "price": 2000, "days": 1},
        ],
        "questions": [
            {"text": "What do you sell, and what is the goal of the campaign?", "kind": "text"},
            {
                "text": "Do you use an email service already?",
                "kind": "choice",
                "choices": ["Not yet, help me choose", "Yes, I have one", "Custom solution"],
            },
        ],
        "faqs": [
            {
                "question": "Do you provide email lists?",
                "answer": (
                    "No. I only work with subscribers who agreed to receive your emails: bought lists "
                    "harm deliverability and break privacy rules."
                ),
            }
        ],
        "color": "#ff8fab",
        "rating": (4.8, 6),
        "orders": 8,
    },
    {
        "seller": "biz_pavel",
        "category": ("business", "accounting"),
        "title": "Подготовлю и сдам декларацию для ИП на упрощённой системе",
        "description": (
            "Подготовлю налоговую декларацию по УСН для ИП на объекте «доходы» или «доходы минус "
            "расходы» и помогу сдать её без ошибок и штрафов. Я бухгалтер с 12-летним опытом, "
            "веду учёт ИП и небольших ООО.\n\n"
            "**Что входит:**\n"
            "- проверка доходов по банковской выписке;\n"
            "- уменьшение налога на страховые взносы;\n"
            "- расчёт авансовых платежей и итоговой суммы налога;\n"
            "- заполнение декларации и уведомлений об исчисленных суммах;\n"
            "- отправка через электронный документооборот или файл для загрузки в личный кабинет;\n"
            "- памятка со сроками платежей и отчётов на следующий год.\n\n"
            "Если в прошлых периодах были ошибки или пропущены сроки, разберусь и предложу, как "
            "исправить ситуацию с минимальными потерями. Документы храню в защищённом хранилище "
            "и удаляю по вашему запросу после сдачи отчётности."
        ),
        "tags": ["бухгалтерия", "декларация", "ип", "усн", "налоги"],
        "packages": [
            {"name": "Эконом", "description": "Нулевая декларация УСН для ИП", "price": 800, "days": 1, "revisions": 1},
            {
                "name": "Стандарт",
                "description": "Декларация УСН для ИП без сотрудников, до 100 операций в год",
                "price": 2500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Декларация УСН до 500 операций, расчёт взносов, сверка с налоговой",
                "price": 6000,
                "days": 5,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Уточнённая декларация за прошлый период", "price": 1500, "days": 1},
            {"title": "Консультация по снижению налоговой нагрузки", "price": 1500, "days": 0},
        ],
        "questions": [
            {"text": "Загрузите банковскую выписку за отчётный год", "kind": "file"},
            {
                "text": "Объект налогообложения",
                "kind": "choice",
                "choices": ["Доходы", "Доходы минус расходы", "Не знаю"],
            },
            {"text": "Были ли у вас сотрудники, онлайн-касса или другие режимы налогообложения?", "kind": "text"},
        ],
        "faqs": [
            {
                "question": "Мне нужно куда-то ехать?",
                "answer": (
                    "Нет, всё делается удалённо. Вы присылаете выписку, я готовлю декларацию и отправляю "
                    "её через электронный документооборот или передаю готовый файл."
                ),
            }
        ],
        "color": "#386641",
        "rating": (5.0, 64),
        "orders": 121,
    },
    {
        "seller": "biz_pavel",
        "category": ("business", "legal"),
        "title": "Составлю или проверю договор с защитой ваших интересов",
        "description": (
            "Подготовлю договор, который защищает именно вас, а не вашего контрагента. Я "
            "юрист-консультант с опытом в гражданском и договорном праве, работаю с ИП, "
            "самозанятыми и малым бизнесом.\n\n"
            "**С какими договорами работаю:**\n"
            "- оказание услуг и подряд;\n"
            "- поставка и купля-продажа;\n"
            "- аренда помещений и оборудования;\n"
            "- договоры с фрилансерами и самозанятыми;\n"
            "- соглашения о конфиденциальности;\n"
            "- публичная оферта и пользовательское соглашение для сайта.\n\n"
            "При проверке чужого договора отмечаю рискованные пункты, простыми словами объясняю, "
            "чем они грозят, и предлагаю формулировки для протокола разногласий. Договор "
            "составляю под вашу ситуацию, а не по шаблону: учитываю порядок оплаты, сроки, "
            "ответственность сторон и условия расторжения."
        ),
        "tags": ["юрист", "договор", "проверка договора", "оферта"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Проверка договора до 5 страниц с комментариями к рискам",
                "price": 1500,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Составление типового договора или проверка до 15 страниц с правками",
                "price": 4000,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Сложный договор или комплект: оферта, политика и пользовательское соглашение",
                "price": 9000,
                "days": 5,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Протокол разногласий", "price": 1500, "days": 1},
            {"title": "Срочно за 1 день", "price": 1500, "days": 0, "urgent": 1},
        ],
        "questions": [
            {"text": "Опишите сделку: стороны, предмет, сроки и порядок оплаты", "kind": "text"},
            {"text": "Загрузите договор на проверку или ваш текущий шаблон", "kind": "file", "required": False},
            {
                "text": "Вы выступаете как",
                "kind": "choice",
                "choices": ["Исполнитель или продавец", "Заказчик или покупатель", "Арендодатель", "Арендатор"],
            },
        ],
        "faqs": [
            {
                "question": "Представляете интересы в суде?",
                "answer": (
                    "Нет, эта услуга про договоры и консультации. Если спор уже начался, помогу "
                    "составить претензию и оценить перспективы."
                ),
            }
        ],
        "color": "#6d597a",
        "rating": (4.9, 31),
        "orders": 45,
    },
    {
        "seller": "biz_pavel",
        "category": ("business", "consulting"),
        "title": "Помогу открыть ИП или ООО и выбрать систему налогообложения",
        "description": (
            "Проконсультирую, в какой форме лучше начать бизнес, и подготовлю документы для "
            "регистрации, чтобы налоговая не отказала из-за ошибки в заявлении.\n\n"
            "**Разберём вместе:**\n"
            "- ИП, ООО или самозанятость: что подходит вашему делу;\n"
            "- коды деятельности без лишних и без пропусков;\n"
            "- систему налогообложения: сравню налоговую нагрузку на ваших цифрах;\n"
            "- какие отчёты, взносы и сроки ждут вас в первый год;\n"
            "- нужна ли онлайн-касса и как выбрать банк для расчётного счёта.\n\n"
            "Подготовлю заявление, а для ООО — устав и решение учредителя, подскажу, как подать "
            "документы онлайн без визита в налоговую. После регистрации пришлю памятку с "
            "календарём платежей и отчётности на год."
        ),
        "tags": ["регистрация ип", "регистрация ооо", "налоги", "консультация"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Консультация в переписке: форма бизнеса и система налогообложения",
                "price": 1000,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Консультация и пакет документов для регистрации ИП",
                "price": 2500,
                "days": 2,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Документы для ООО: устав, решение, заявление и расчёт налоговой нагрузки",
                "price": 6000,
                "days": 4,
                "revisions": 3,
            },
        ],
        "extras": [{"title": "Календарь отчётности и платежей на год", "price": 700, "days": 0}],
        "questions": [
            {"text": "Чем планируете заниматься и какой ожидаете доход в месяц?", "kind": "text"},
            {"text": "Что планируете открыть?", "kind": "choice", "choices": ["ИП", "ООО", "Пока не решил"]},
        ],
        "faqs": [
            {
                "question": "Госпошлина входит в стоимость?",
                "answer": (
                    "Нет. При подаче документов онлайн с электронной подписью госпошлину за регистрацию "
                    "платить не нужно, в остальных случаях её оплачиваете вы."
                ),
            }
        ],
        "color": "#bc6c25",
        "rating": (4.9, 27),
        "orders": 40,
    },
    {
        "seller": "biz_pavel",
        "category": ("business", "sales"),
        "title": "Напишу скрипт продаж и соберу базу потенциальных клиентов",
        "description": (
            "Помогу отделу продаж работать по системе: менеджеры знают, что говорить, а у вас "
            "есть база компаний, которым действительно нужен ваш продукт.\n\n"
            "**Скрипт продаж:**\n"
            "- изучаю продукт, цикл сделки и типичные возражения;\n"
            "- пишу сценарии для первого звонка, письма и повторного контакта;\n"
            "- готовлю ответы на 10–15 частых возражений;\n"
            "- оформляю скрипт схемой, по которой удобно идти во время разговора.\n\n"
            "**База клиентов:** собираю компании из открытых источников по вашим критериям — "
            "отрасль, регион, размер — и оформляю в таблицу с названием, сайтом, общими "
            "контактами организации и комментарием. Личные данные сотрудников не собираю.\n\n"
            "Я руководил отделом продаж в B2B, поэтому пишу скрипты, которые звучат естественно, "
            "а не по-роботски."
        ),
        "tags": ["скрипт продаж", "продажи", "b2b", "база клиентов"],
        "packages": [
            {
                "name": "Эконом",
                "description": "Скрипт первого контакта и 5 ответов на возражения",
                "price": 2000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Стандарт",
                "description": "Скрипт звонка и письма, 15 возражений, база до 200 компаний",
                "price": 6000,
                "days": 5,
                "revisions": 2,
            },
            {
                "name": "Бизнес",
                "description": "Полный комплект скриптов, база до 1000 компаний, шаблоны писем и регламент",
                "price": 14000,
                "days": 10,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Ещё 200 компаний в базу", "price": 1500, "days": 1},
            {"title": "Разбор записей звонков менеджеров", "price": 3000, "days": 2},
        ],
        "questions": [
            {"text": "Что продаёте, кому и какой средний чек?", "kind": "text"},
            {"text": "Опишите идеального клиента: отрасль, регион, размер компании", "kind": "text"},
        ],
        "faqs": [
            {
                "question": "Будете сами звонить клиентам?",
                "answer": (
                    "Нет, я готовлю скрипты и базу для ваших менеджеров. Могу разобрать первые записи "
                    "звонков и доработать скрипт по итогам."
                ),
            }
        ],
        "color": "#dd6b20",
        "rating": (4.7, 15),
        "orders": 21,
    },
    {
        "seller": "biz_pavel",
        "category": ("business", "assistant"),
        "title": "I will be your reliable virtual assistant for admin tasks",
        "description": (
            "Spend your time on the work that grows your business, and let me handle the "
            "routine. I am an organised virtual assistant with a background in accounting and "
            "business administration, working in English and Russian.\n\n"
            "**I can help with:**\n"
            "- inbox management: sorting, drafting replies, follow-ups;\n"
            "- calendar scheduling and meeting reminders;\n"
            "- online research with short summaries;\n"
            "- preparing documents, invoices and simple reports;\n"
            "- organising files and spreadsheets;\n"
            "- booking travel and comparing suppliers.\n\n"
            "You get a daily or weekly report with completed tasks and anything that needs your "
            "decision. I treat all your information as confidential, follow instructions "
            "precisely and ask when something is unclear instead of guessing."
        ),
        "tags": ["virtual assistant", "admin support", "research", "scheduling"],
        "packages": [
            {
                "name": "Basic",
                "description": "5 hours of assistance within a week",
                "price": 3000,
                "days": 2,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "15 hours of assistance with daily check-ins",
                "price": 8500,
                "days": 7,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "40 hours of assistance over a month with weekly reports",
                "price": 20000,
                "days": 30,
                "revisions": 3,
            },
        ],
        "extras": [
            {"title": "Weekend availability", "price": 2000, "days": 0},
            {"title": "Extra 5 hours", "price": 3000, "days": 2},
        ],
        "questions": [
            {"text": "Describe the tasks you need help with", "kind": "text"},
            {
                "text": "Preferred working hours",
                "kind": "choice",
                "choices": ["European time", "Moscow time", "Flexible"],
            },
        ],
        "faqs": [
            {
                "question": "How do we communicate?",
                "answer": (
                    "Through the order chat on this platform. I reply within a few hours on working days "
                    "and share progress regularly."
                ),
            }
        ],
        "color": "#588157",
        "rating": (4.9, 17),
        "orders": 26,
    },
    {
        "seller": "biz_pavel",
        "category": ("business", "data-entry"),
        "title": "I will do accurate data entry and clean up your spreadsheets",
        "description": (
            "Messy spreadsheets cost time and lead to wrong decisions. I will enter, clean and "
            "structure your data so it is accurate and ready to use.\n\n"
            "**Typical tasks:**\n"
            "- typing data from scanned PDFs, images and paper forms;\n"
            "- removing duplicates and fixing inconsistent dates, names and amounts;\n"
            "- merging several files into one clean table;\n"
            "- product catalogue entry for online stores;\n"
            "- formulas, filters, pivot tables and simple charts;\n"
            "- converting data between CSV, XLSX and other common formats.\n\n"
            "I double-check every batch and can share a random sample for you to verify before I "
            "finish. With my accounting background, I am especially careful with numbers, "
            "invoices and financial records. Your files stay confidential and can be deleted "
            "once the order is complete."
        ),
        "tags": ["data entry", "spreadsheets", "data cleaning", "typing"],
        "packages": [
            {
                "name": "Basic",
                "description": "Up to 300 rows of data entry or cleaning",
                "price": 1000,
                "days": 1,
                "revisions": 1,
            },
            {
                "name": "Standard",
                "description": "Up to 1,500 rows with deduplication and formatting",
                "price": 3500,
                "days": 3,
                "revisions": 2,
            },
            {
                "name": "Premium",
                "description": "Up to 5,000 rows, merging files, formulas and a pivot report",
                "price": 8000,
                "days": 6,
                "revisions": 3,
            },
        ],
        "extras": [{"title": "Delivery within 24 hours", "price": 1000, "days": 0}],
        "questions": [
            {"text": "Upload the source files", "kind": "file"},
            {"text": "Describe the output you need: columns and file type", "kind": "text"},
        ],
        "faqs": [
            {
                "question": "Can you enter handwritten documents?",
                "answer": (
                    "Yes, if the handwriting is legible. Send me a sample page first so I can estimate "
                    "the time and accuracy."
                ),
            }
        ],
        "color": "#4f772d",
        "rating": (4.8, 20),
        "orders": 33,
    },
]
