"""POST data for the gig editor, as the browser sends it."""


def editor_post(category_id: int, *, packages=None, extras=(), questions=(), faqs=(), **overrides) -> dict:
    packages = packages if packages is not None else [
        {"name": "Эконом", "description": "Один вариант логотипа", "price": "1500", "delivery_days": "3",
         "revisions": "1"},
        {"name": "Стандарт", "description": "Три варианта и исходники", "price": "3500", "delivery_days": "5",
         "revisions": "3"},
    ]  # fmt: skip
    data = {
        "title": "Разработаю логотип для вашего бизнеса",
        "category": str(category_id),
        "description": "Создам современный логотип: изучу нишу, предложу концепции, доведу выбранную до идеала. "
        "Передам файлы PNG, SVG и PDF.",
        "tags": "логотип, дизайн",
        "pkg-TOTAL_FORMS": "3",
        "pkg-INITIAL_FORMS": "0",
        "pkg-MIN_NUM_FORMS": "0",
        "pkg-MAX_NUM_FORMS": "3",
    }
    for i in range(3):
        package = packages[i] if i < len(packages) else {}
        for key in ("name", "description", "price", "delivery_days", "revisions"):
            data[f"pkg-{i}-{key}"] = package.get(key, "")
    for prefix, rows, keys in (
        ("extra", extras, ("title", "price", "extra_days", "urgent_days")),
        ("question", questions, ("text", "kind", "choices", "required")),
        ("faq", faqs, ("question", "answer")),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "10"
        for i, row in enumerate(rows):
            for key in keys:
                if key in row:
                    data[f"{prefix}-{i}-{key}"] = row[key]
    data.update(overrides)
    return data
