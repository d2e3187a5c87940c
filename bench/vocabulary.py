"""Words for the benchmark data: real Russian and English words and trade terms.

The generator ranks them (the demo gigs' own word frequencies first, then these lists in
the order written, then the rare tail) and draws them with Zipf weights, so a few words
are in most gigs and most words are in few: the shape real catalog text has, which is
what full-text search cost depends on.
"""

# Common words of gig descriptions, roughly most frequent first (inflected forms on purpose:
# the Russian stemmer has to fold them, as in real text).
RU_COMMON = """
и в на с для по не что от к до или как это все вы я за мы вам ваш вашего вашей ваши из
работа работы работу сделаю делаю выполню качественно быстро услуги услуга проект проекта
проекты заказ заказа заказчика клиент клиентов клиента бизнес бизнеса компании компания
сайт сайта сайты текст тексты текста дизайн дизайна логотип логотипа опыт опыта лет
результат результата срок сроки правки правок вариант варианта варианты файлы файл формате
материалы требования задача задачи техническое задание бриф структура структуру стиль
уникальный уникальные современный современного профессиональный профессионально подробно
полностью готовый готовые готовую индивидуальный индивидуально удобный удобно просто
продвижение продаж продажи продажах рекламы реклама аудитория аудитории целевой бренд бренда
контент контента страницы страниц страница товаров товары товара магазин магазина интернет
соцсетей соцсети социальных сетях канал канала пост посты публикации статьи статья статей
перевод перевода переводы язык языка английский русский немецкий редактура корректура
видео ролик ролика ролики монтаж монтажа анимация звук звука музыка озвучка голос голоса
презентация презентации слайды слайдов баннер баннеры иллюстрация иллюстрации обложка
настройка настрою настройки подключу интеграция интеграции сервер сервера хостинг домен
бот бота боты приложение приложения программа программы скрипт скрипты база базы данных
таблица таблицы отчёт отчёта отчёты анализ анализа аналитика аудит аудита консультация
бухгалтерия налоги декларация договор договора юридическая помощь документы документов
ошибки ошибок исправлю доработка доработаю оптимизация оптимизирую скорость скорости
вёрстка вёрстку адаптивная мобильной версии кнопки формы заявки заявок конверсия лиды
ключевые запросы семантика семантическое ядро мета теги позиции выдаче поисковых систем
ссылки ссылок рассылка рассылки письма письмо шаблон шаблоны шаблона карточки карточек
маркетплейсов маркетплейсе фото фотографии обработка обработку ретушь фон фона цвета цвет
шрифты шрифт иконки иконок макет макета макеты прототип прототипа интерфейс интерфейса
гарантия гарантирую бесплатно дополнительно исходники исходников передам права авторские
день дня дней неделю месяц часа часов минут сразу вовремя этапы этап согласование
общение связь вопросы вопрос ответ ответы пожелания пример примеры портфолио кейсы
регистрация запуск запуска старт поддержка поддержку сопровождение обновление обучение
менеджер маркетолог копирайтер дизайнер программист разработчик специалист команда эксперт
стратегия план плана контент-план воронка лендинг лендинга многостраничный каталог корзина
оплата оплаты цена цены стоимость бюджет бюджета выгодно недорого премиум стандарт эконом
логика смысл идея идеи концепция концепции образ история истории сценарий сценария
продукт продукта продукты услугу товар упаковка упаковки визитка визитки флаер листовка
вывеска брошюра каталог журнал книга книги обложку постер афиша меню мерч сувениры
"""

EN_COMMON = """
i will you your for with and the a to of in on my is it can be all any as at by from get
design designs logo logos website websites web page pages landing app apps mobile online
professional unique modern custom clean creative quality fast quick delivery revisions
unlimited source files file format high resolution print ready business brand branding
content writing article articles blog post posts copy copywriting seo keywords ranking
research audit report analysis strategy marketing social media campaign ads google
translation translate english russian german spanish french proofreading editing edit
video videos editing animation motion intro outro voice over audio music sound mixing
presentation slides powerpoint banner banners illustration illustrations cover book
setup install configure fix bug bugs error errors speed optimization performance
wordpress shopify woocommerce plugin theme html css javascript python django react
bot bots telegram script scraping data database excel spreadsheet automation api
store shop product products listing listings amazon etsy ebay marketplace catalog
email newsletter template templates funnel leads sales conversion traffic growth
support maintenance update consultation coaching plan planning budget accounting tax
legal contract documents resume cv cover letter job linkedin profile portfolio
experience years expert specialist team client clients customer customers project
projects order orders requirements brief style concept idea ideas story script
full complete simple small large premium basic standard package packages extra day
days hours week month fast rush guarantee satisfaction free commercial rights
responsive layout interface ux ui prototype wireframe figma mockup icon icons font
photo photos retouch background removal image images thumbnail youtube channel
instagram tiktok facebook reels shorts stories captions subtitles transcription
"""

# Latin trade terms that Russian gigs use as they are, so English queries hit both languages.
TRADE_TERMS = """
SEO SMM HTML CSS PHP Python Django WordPress Tilda Figma Photoshop Illustrator Telegram
YouTube Instagram VK Ozon Wildberries Avito Bitrix 1C Excel Google Yandex Direct Metrika
Analytics JavaScript React Vue Node API CRM amoCRM Битрикс24 Shopify PDF PNG SVG JPG
After Effects Premiere DaVinci Blender 3D UX UI MVP landing email online SaaS B2B B2C
Canva PowerPoint Keynote InDesign CorelDraw Lightroom Notion Trello Jira GitHub Docker
Linux nginx PostgreSQL MySQL Redis Laravel Flutter Android iOS Swift Kotlin Unity
ChatGPT AI TikTok Reels Shorts Pinterest LinkedIn Zoom Miro WooCommerce OpenCart
"""

# The long tail: words few gigs use (cities, niches, tools, crafts).
RU_RARE = """
Калининград Новосибирск Екатеринбург Казань Самара Воронеж Ярославль Иркутск Хабаровск
Владивосток Сочи Краснодар Тюмень Томск Омск Пермь Уфа Саратов Мурманск Архангельск
кофейня пекарня барбершоп автосервис стоматология ветклиника автошкола турбаза глэмпинг
фермерский сыроварня пивоварня чайная кондитерская флористика ювелирный ломбард хостел
нотариус риелтор застройщик бурение кровля фасад окна двери сантехника электрика плитка
бетон брусчатка ландшафт теплицы пчеловодство виноделие рыбалка охота туризм сплав
каллиграфия леттеринг граффити витраж мозаика гончарство вышивка вязание макраме эпоксидка
генеалогия родословная нумизматика филателия астрология нумерология таро медитация йога
пилатес кроссфит бокс шахматы го бильярд керлинг биатлон лыжи сноуборд серфинг кайтсёрфинг
логопед дефектолог репетитор нейропсихолог остеопат косметолог трихолог нутрициолог
акушерка сиделка няня гувернантка дворецкий сомелье бариста кейтеринг банкет фуршет
тамада ведущий аниматор фокусник иллюзионист диджей саксофонист арфистка аккордеонист
субтитровка стенография транскрибация верификация модерация разметка датасет нейросеть
парсер краулер вебхук микросервис оркестрация контейнеризация балансировщик шардирование
ипотека лизинг факторинг банкротство приватизация наследство алименты апелляция кассация
таможня сертификация декларирование маркировка честный знак патент франшиза тендер госзакупки
буклет евробуклет воблер шелфтокер штендер ростовая фигура лайтбокс пресс-волл ролл-ап
"""

EN_RARE = """
Brooklyn Manchester Edinburgh Dublin Toronto Vancouver Melbourne Auckland Lisbon Prague
Krakow Tallinn Riga Vilnius Tbilisi Yerevan Almaty Tashkent Belgrade Sofia Bucharest
bakery barbershop brewery winery distillery creamery florist jeweler locksmith plumber
roofer electrician landscaper beekeeper taxidermy calligraphy lettering pottery embroidery
knitting macrame woodworking blacksmith glassblowing origami quilting scrapbooking
genealogy numismatics philately astrology numerology tarot meditation pilates crossfit
kickboxing chess billiards curling biathlon snowboarding surfing kitesurfing paragliding
speech therapist osteopath cosmetologist nutritionist midwife nanny butler sommelier
barista caterer magician illusionist saxophonist harpist accordion bagpipes didgeridoo
stenography transcription annotation labeling dataset embeddings webhook microservice
orchestration kubernetes terraform ansible sharding replication failover observability
mortgage leasing factoring bankruptcy probate alimony appeal notary customs certification
trademark franchise tender procurement rollup backdrop lightbox signage wobbler kiosk
"""

CHAT_RU = [
    "Здравствуйте! Подскажите, сможете сделать к пятнице?",
    "Добрый день, отправил бриф, посмотрите, пожалуйста.",
    "Спасибо, всё получил, посмотрю вечером.",
    "Можно добавить ещё один вариант в светлых тонах?",
    "Да, конечно. Пришлю первые эскизы завтра.",
    "Отлично, жду.",
    "Внёс правки, проверьте, пожалуйста.",
    "Всё супер, принимаю работу. Спасибо!",
    "Уточните, в каком формате нужны исходники?",
    "Нужен PDF и PNG на прозрачном фоне.",
    "Какой у вас срок по времени?",
    "Прикрепил примеры, которые нравятся.",
    "Сделаю в течение двух дней.",
    "Есть вопрос по структуре, созвонимся?",
    "Давайте лучше здесь в переписке.",
    "Хорошо, договорились.",
    "Текст готов, отправляю на согласование.",
    "Поправьте, пожалуйста, заголовок и цвета кнопок.",
    "Готово, посмотрите обновлённую версию.",
    "Благодарю за работу, обращусь ещё!",
]

CHAT_EN = [
    "Hi! Could you get this done by Friday?",
    "Hello, I sent the brief, please have a look.",
    "Thanks, got everything, I will review tonight.",
    "Could you add one more variant in lighter colors?",
    "Sure, I will send the first drafts tomorrow.",
    "Great, looking forward to it.",
    "I made the changes, please check.",
    "Looks great, accepting the work. Thank you!",
    "Which format do you need the source files in?",
    "PDF and a PNG with a transparent background, please.",
    "What is your timeline?",
    "Attached a few examples I like.",
    "I can do it within two days.",
    "Quick question about the structure: can we talk here?",
    "Sounds good, agreed.",
    "The text is ready, sending it for approval.",
    "Please tweak the headline and the button colors.",
    "Done, please see the updated version.",
    "Thank you for the work, will order again!",
    "Can you also prepare a version for mobile?",
]

FIRST_RU = """Александр Алексей Андрей Артём Борис Вадим Виктор Владимир Дмитрий Евгений Егор Иван
Игорь Илья Кирилл Константин Максим Михаил Никита Николай Олег Павел Роман Сергей Степан Тимур
Анастасия Анна Алина Валерия Виктория Дарья Екатерина Елена Ирина Ксения Мария Марина Наталья
Ольга Полина Светлана София Татьяна Юлия Яна""".split()  # noqa: SIM905
LAST_RU = """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов
Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров
Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин
Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов""".split()  # noqa: SIM905
FIRST_EN = """James John Robert Michael David William Richard Thomas Daniel Matthew Anthony Mark
Steven Paul Andrew Joshua Kevin Brian Emma Olivia Ava Sophia Isabella Mia Charlotte Amelia
Harper Evelyn Abigail Emily Elizabeth Sofia Ella Madison Scarlett Grace Chloe Lily""".split()  # noqa: SIM905
LAST_EN = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Wilson
Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker
Hall Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts""".split()  # noqa: SIM905

# Title verbs per section (Russian, English) and one noun list per category.
SECTION_VERBS = {
    "design": (["Разработаю", "Нарисую", "Создам", "Сделаю"], ["design", "create", "draw", "make"]),
    "writing": (["Напишу", "Переведу", "Отредактирую", "Подготовлю"], ["write", "translate", "proofread", "edit"]),
    "development": (["Разработаю", "Настрою", "Сделаю", "Исправлю"], ["develop", "build", "fix", "set up"]),
    "marketing": (["Настрою", "Запущу", "Проведу", "Сделаю"], ["set up", "run", "manage", "optimize"]),
    "video-audio": (["Смонтирую", "Озвучу", "Создам", "Сделаю"], ["edit", "produce", "create", "record"]),
    "business": (["Проконсультирую", "Подготовлю", "Проведу", "Помогу с"], ["prepare", "handle", "do", "consult on"]),
}

CATEGORY_NOUNS = {
    "logo": (
        ["логотип", "фирменный знак", "эмблему", "логотип и иконку"],
        ["a minimalist logo", "a modern logo", "a brand mark"],
    ),
    "branding": (
        ["фирменный стиль", "брендбук", "айдентику"],
        ["a brand identity", "a brand book", "brand guidelines"],
    ),
    "web-design": (
        ["дизайн сайта", "дизайн лендинга", "интерфейс приложения"],
        ["a website design", "a landing page design", "an app ui"],
    ),
    "illustration": (["иллюстрацию", "персонажа", "обложку книги"], ["an illustration", "a character", "a book cover"]),
    "presentations": (["презентацию", "инфографику", "питч-дек"], ["a presentation", "an infographic", "a pitch deck"]),
    "banners": (["баннеры", "иконки", "обложки для соцсетей"], ["web banners", "icons", "social media covers"]),
    "print": (["визитки", "флаер", "буклет", "меню для кафе"], ["business cards", "a flyer", "a brochure"]),
    "marketplace-cards": (
        ["карточки товаров", "инфографику для Wildberries", "карточки для Ozon"],
        ["product cards", "amazon listing images", "marketplace infographics"],
    ),
    "copywriting": (
        ["продающий текст", "текст для лендинга", "описание товаров"],
        ["sales copy", "landing page copy", "product descriptions"],
    ),
    "articles": (
        ["SEO-статью", "статьи для блога", "экспертный лонгрид"],
        ["seo articles", "blog posts", "a long read"],
    ),
    "translation": (
        ["перевод текста", "перевод сайта", "технический перевод"],
        ["translation", "website localization", "a technical translation"],
    ),
    "proofreading": (
        ["корректуру текста", "редактуру статьи", "вычитку"],
        ["proofreading", "copy editing", "a manuscript edit"],
    ),
    "resumes": (
        ["резюме", "сопроводительное письмо", "вакансию"],
        ["a resume", "a cover letter", "a linkedin profile"],
    ),
    "scripts": (
        ["сценарий ролика", "сценарий вебинара", "сценарий рекламы"],
        ["a video script", "a webinar script", "an ad script"],
    ),
    "websites": (["сайт под ключ", "лендинг", "интернет-магазин"], ["a website", "a landing page", "an online store"]),
    "cms": (
        ["сайт на WordPress", "сайт на Tilda", "магазин на WooCommerce"],
        ["a wordpress site", "a shopify store", "a woocommerce shop"],
    ),
    "frontend": (
        ["вёрстку по макету", "адаптивную вёрстку", "лендинг по Figma"],
        ["html css coding", "a responsive layout", "a figma to html page"],
    ),
    "backend": (
        ["бэкенд на Django", "скрипт на Python", "API для сервиса"],
        ["a django backend", "a python script", "a rest api"],
    ),
    "bots": (["Telegram-бота", "чат-бота", "бота для записи"], ["a telegram bot", "a chat bot", "a discord bot"]),
    "mobile": (
        ["мобильное приложение", "приложение на Flutter", "приложение для Android"],
        ["a mobile app", "a flutter app", "an android app"],
    ),
    "fixes": (
        ["ошибки на сайте", "доработку сайта", "ускорение сайта"],
        ["website bugs", "website improvements", "slow page speed"],
    ),
    "servers": (
        ["сервер и хостинг", "VPS и nginx", "перенос сайта"],
        ["a vps server", "nginx and ssl", "a site migration"],
    ),
    "parsing": (
        ["парсинг сайта", "сбор данных", "выгрузку в Excel"],
        ["web scraping", "data collection", "an excel export"],
    ),
    "seo": (["SEO-продвижение", "SEO-аудит сайта", "семантическое ядро"], ["seo", "an seo audit", "keyword research"]),
    "context-ads": (
        ["Яндекс Директ", "контекстную рекламу", "рекламу в Google"],
        ["google ads", "search ads", "a ppc campaign"],
    ),
    "smm": (
        ["ведение соцсетей", "контент-план", "оформление группы"],
        ["social media management", "a content plan", "instagram posts"],
    ),
    "targeting": (
        ["таргетированную рекламу", "рекламу ВКонтакте", "таргет в соцсетях"],
        ["facebook ads", "targeted ads", "tiktok ads"],
    ),
    "email-marketing": (
        ["email-рассылку", "цепочку писем", "шаблон письма"],
        ["an email campaign", "an email sequence", "a newsletter template"],
    ),
    "marketplaces": (
        ["продвижение на Ozon", "продвижение на Wildberries", "выход на маркетплейсы"],
        ["amazon ppc", "marketplace promotion", "an etsy shop"],
    ),
    "analytics": (
        ["Яндекс Метрику", "веб-аналитику", "цели и отчёты"],
        ["google analytics", "web analytics", "conversion tracking"],
    ),
    "video-editing": (
        ["монтаж видео", "монтаж Reels", "монтаж для YouTube"],
        ["video editing", "reels editing", "youtube video editing"],
    ),
    "motion": (
        ["анимацию логотипа", "моушн-дизайн", "анимационный ролик"],
        ["a logo animation", "motion graphics", "an explainer video"],
    ),
    "voice-over": (
        ["озвучку ролика", "дикторский текст", "озвучку рекламы"],
        ["a voice over", "a narration", "an ad voice over"],
    ),
    "music": (["музыку для ролика", "песню на заказ", "джингл"], ["music for a video", "a custom song", "a jingle"]),
    "audio-editing": (
        ["обработку звука", "сведение трека", "очистку аудио"],
        ["audio editing", "mixing and mastering", "podcast editing"],
    ),
    "intros": (
        ["интро для канала", "заставку", "концовку для видео"],
        ["a youtube intro", "an outro", "a logo reveal"],
    ),
    "consulting": (
        ["бизнес-консультацию", "бизнес-план", "стратегию развития"],
        ["business consulting", "a business plan", "a growth strategy"],
    ),
    "accounting": (
        ["бухгалтерию ИП", "налоговую декларацию", "отчётность"],
        ["bookkeeping", "a tax return", "financial reports"],
    ),
    "legal": (
        ["договор", "юридическую консультацию", "регистрацию ООО"],
        ["a contract", "legal advice", "company registration"],
    ),
    "data-entry": (
        ["ввод данных", "заполнение таблиц", "обработку документов"],
        ["data entry", "spreadsheet work", "document processing"],
    ),
    "assistant": (
        ["помощь ассистента", "поиск информации", "ведение календаря"],
        ["virtual assistance", "online research", "calendar management"],
    ),
    "sales": (
        ["холодные звонки", "скрипт продаж", "поиск клиентов"],
        ["cold calls", "a sales script", "lead generation"],
    ),
}

TITLE_SUFFIX_RU = [
    "",
    "",
    "под ключ",
    "для бизнеса",
    "быстро и качественно",
    "за 1 день",
    "для интернет-магазина",
    "с правками",
    "для стартапа",
    "по вашему ТЗ",
    "недорого",
    "с гарантией",
]
TITLE_SUFFIX_EN = [
    "",
    "",
    "for your business",
    "in 24 hours",
    "for your brand",
    "for your startup",
    "with revisions",
    "professionally",
    "for your online store",
    "fast",
]

EXTRAS_RU = [
    "Срочное выполнение",
    "Исходные файлы",
    "Дополнительная правка",
    "Ещё один вариант",
    "Коммерческие права",
    "Версия для соцсетей",
    "Перевод на английский",
    "Консультация по запуску",
]
EXTRAS_EN = [
    "Fast delivery",
    "Source files",
    "Extra revision",
    "One more concept",
    "Commercial use",
    "Social media kit",
    "Russian translation",
    "Launch consultation",
]

FAQ_RU = [
    ("Что нужно для начала работы?", "Заполненный бриф и примеры, которые вам нравятся."),
    ("Можно ли заказать срочно?", "Да, выберите опцию срочного выполнения."),
    ("Сколько правок входит?", "Количество правок указано в каждом пакете."),
    ("Передаёте ли вы права?", "Да, все права на результат переходят к вам после приёмки."),
]
FAQ_EN = [
    ("What do you need to start?", "A filled brief and a few examples you like."),
    ("Can you do it faster?", "Yes, choose the fast delivery extra."),
    ("How many revisions are included?", "Each package lists its revisions."),
    ("Do I get the rights?", "Yes, all rights pass to you once you accept the work."),
]

PACKAGE_NAMES_RU = ["Эконом", "Стандарт", "Бизнес"]
PACKAGE_NAMES_EN = ["Basic", "Standard", "Premium"]

REVIEW_RU = [
    "Отличная работа, всё в срок!",
    "Рекомендую, быстро и качественно.",
    "Хороший результат, спасибо.",
    "Всё понравилось, обращусь ещё.",
    "Исполнитель на связи, правки внёс быстро.",
    "Нормально, но долго.",
]
REVIEW_EN = [
    "Great work, on time!",
    "Highly recommended, fast and clean.",
    "Good result, thank you.",
    "Loved it, will order again.",
    "Responsive and quick with revisions.",
    "Okay, but slow.",
]

REJECTION_REASONS = ["В описании есть контакты для связи вне сайта.", "Название не соответствует содержанию услуги."]
