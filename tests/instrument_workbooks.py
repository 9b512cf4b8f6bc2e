"""XLSForm workbooks as an author writes them in Excel, for the tests: `authored()` gives the
sheets of a small three-language questionnaire (rows of cells), which a test may change before
`workbook_bytes()` turns them into an .xlsx file."""

import io

from openpyxl import Workbook

EN, UR, FR = "label::English (en)", "label::Urdu (ur)", "label::French (fr)"
HINT_EN, HINT_UR, HINT_FR = "hint::English (en)", "hint::Urdu (ur)", "hint::French (fr)"

#: The Urdu of this question is the translation the review corrects.
TRUST_KEEPS_UR = "{other} اپنے وعدے رکھتا ہے۔"
TRUST_KEEPS_UR_CORRECTED = "{other} اپنے وعدے پورے کرتا ہے۔"


def authored() -> dict[str, list[dict]]:
    """The sheets of the workbook: sheet name -> rows (header -> value), in order."""
    likert = {"appearance": "likert"}
    return {
        "survey": [
            {
                "type": "begin group",
                "name": "views",
                EN: "Your views",
                UR: "آپ کی رائے",
                FR: "Votre avis",
                HINT_EN: "Answer as you see it today.",
                HINT_UR: "آج کی اپنی رائے کے مطابق جواب دیں۔",
                HINT_FR: "Répondez selon votre avis d'aujourd'hui.",
            },
            {
                "type": "select_one agree5",
                "name": "trust_keeps",
                **likert,
                EN: "{other} keeps its word.",
                UR: TRUST_KEEPS_UR,
                FR: "{other} tient parole.",
                "construct": "trust",
                "required": "yes",
            },
            {
                "type": "select_one agree5",
                "name": "trust_hidden",
                **likert,
                EN: "{other} has a hidden agenda.",
                UR: "{other} کا ایک پوشیدہ ایجنڈا ہے۔",
                FR: "{other} a un agenda caché.",
                "construct": "trust",
                "reversed": "yes",
            },
            {
                "type": "select_one agree5",
                "name": "trust_direct",
                **likert,
                EN: "Overall, I trust {other}.",
                UR: "مجموعی طور پر میں {other} پر اعتماد کرتا ہوں۔",
                FR: "Dans l'ensemble, je fais confiance à {other}.",
            },
            {
                "type": "select_one agree5",
                "name": "meta_trust",
                **likert,
                EN: "{other} trusts {own}.",
                UR: "{other} {own} پر اعتماد کرتا ہے۔",
                FR: "{other} fait confiance à {own}.",
            },
            {
                "type": "range",
                "name": "warmth",
                "parameters": "start=0 end=100 step=1",
                EN: "How warm do you feel towards {other}?",
                UR: "آپ {other} کے بارے میں کتنی گرمجوشی محسوس کرتے ہیں؟",
                FR: "Quelle chaleur ressentez-vous envers {other} ?",
                HINT_EN: "0 is very cold, 100 very warm.",
                HINT_UR: "0 بہت سرد، 100 بہت گرم۔",
                HINT_FR: "0 très froid, 100 très chaleureux.",
            },
            {"type": "end group"},
            {"type": "begin group", "name": "plans", EN: "Plans", UR: "منصوبے", FR: "Projets"},
            {
                "type": "rank areas",
                "name": "priorities",
                EN: "Rank these areas.",
                UR: "ان شعبوں کی درجہ بندی کریں۔",
                FR: "Classez ces domaines.",
            },
            {
                "type": "select_multiple topics",
                "name": "topics",
                "waves": "pre",
                EN: "Which topics interest you?",
                UR: "آپ کو کون سے موضوعات دلچسپ لگتے ہیں؟",
                FR: "Quels sujets vous intéressent ?",
            },
            {
                "type": "text",
                "name": "hope",
                "constraint": "string-length(.) <= 500",
                "waves": "pre",
                EN: "What do you hope for?",
                UR: "آپ کس چیز کی امید رکھتے ہیں؟",
                FR: "Qu'espérez-vous ?",
            },
            {
                "type": "select_one yes_no",
                "name": "again",
                "waves": "post",
                EN: "Would you come again?",
                UR: "کیا آپ دوبارہ آئیں گے؟",
                FR: "Reviendriez-vous ?",
            },
            {"type": "end group"},
        ],
        "choices": [
            *[
                {"list_name": "agree5", "name": code, EN: en, UR: ur, FR: fr}
                for code, en, ur, fr in (
                    (1, "Strongly disagree", "شدید اختلاف", "Pas du tout d'accord"),
                    (2, "Disagree", "اختلاف", "Plutôt pas d'accord"),
                    (3, "Neither", "نہ اتفاق نہ اختلاف", "Ni l'un ni l'autre"),
                    (4, "Agree", "اتفاق", "Plutôt d'accord"),
                    (5, "Strongly agree", "مکمل اتفاق", "Tout à fait d'accord"),
                    (-9, "Prefer not to answer", "جواب دینے سے گریز", "Je préfère ne pas répondre"),
                )
            ],
            *[
                {"list_name": "areas", "name": code, EN: en, UR: ur, FR: fr}
                for code, en, ur, fr in (
                    ("trade", "Trade", "تجارت", "Commerce"),
                    ("water", "Water", "پانی", "Eau"),
                    ("visas", "Visas", "ویزے", "Visas"),
                )
            ],
            *[
                {"list_name": "topics", "name": code, EN: en, UR: ur, FR: fr}
                for code, en, ur, fr in (
                    ("culture", "Culture", "ثقافت", "Culture"),
                    ("sport", "Sport", "کھیل", "Sport"),
                )
            ],
            {"list_name": "yes_no", "name": "yes", EN: "Yes", UR: "ہاں", FR: "Oui"},
            {"list_name": "yes_no", "name": "no", EN: "No", UR: "نہیں", FR: "Non"},
        ],
        "settings": [
            {
                "form_id": "lahore-2027",
                "version": "1",
                "form_title": "Lahore dialogue",
                "default_language": "English (en)",
                "rtl_languages": "ur",
                "non_response_code": -9,
                "consent_version": "1",
            },
        ],
        "groups": [
            {"group": group, "form": form, EN: en, UR: ur, FR: fr}
            for group, form, en, ur, fr in (
                ("india", "name", "India", "بھارت", "Inde"),
                ("india", "own", "India", "بھارت", "l'Inde"),
                ("india", "other", "Pakistan", "پاکستان", "le Pakistan"),
                ("pakistan", "name", "Pakistan", "پاکستان", "Pakistan"),
                ("pakistan", "own", "Pakistan", "پاکستان", "le Pakistan"),
                ("pakistan", "other", "India", "بھارت", "l'Inde"),
            )
        ],
        "waves": [
            {"name": "pre", EN: "Before", UR: "پہلے", FR: "Avant"},
            {"name": "post", EN: "After", UR: "بعد میں", FR: "Après"},
        ],
        "texts": [
            {"name": name, EN: en, UR: ur, FR: fr}
            for name, en, ur, fr in (
                ("titles", "Lahore dialogue", "لاہور مکالمہ", "Dialogue de Lahore"),
                (
                    "consent.titles",
                    "About this questionnaire",
                    "اس سوالنامے کے بارے میں",
                    "À propos",
                ),
                (
                    "consent.texts",
                    "Taking part is voluntary.",
                    "حصہ لینا رضاکارانہ ہے۔",
                    "La participation est volontaire.",
                ),
                ("consent.agree", "I agree to take part", "میں رضامند ہوں", "J'accepte"),
                ("consent.privacy_titles", "Privacy notice", "رازداری کا نوٹس", "Confidentialité"),
                (
                    "consent.privacy",
                    "Your answers are stored under a code.",
                    "آپ کے جوابات ایک کوڈ کے تحت محفوظ ہیں۔",
                    "Vos réponses sont codées.",
                ),
                (
                    "review.titles",
                    "Check and submit",
                    "دیکھیں اور جمع کرائیں",
                    "Vérifier et envoyer",
                ),
            )
        ],
        "scores": [
            {
                "name": "trust",
                "construct": "trust",
                "min_answered": 2,
                EN: "Trust",
                UR: "اعتماد",
                FR: "Confiance",
            },
            {
                "name": "trust_direct",
                "items": "trust_direct",
                EN: "Overall trust",
                UR: "مجموعی اعتماد",
                FR: "Confiance globale",
            },
            {"name": "warmth", "items": "warmth", EN: "Warmth", UR: "گرمجوشی", FR: "Chaleur"},
            {
                "name": "meta_trust",
                "items": "meta_trust",
                EN: "Perceived trust",
                UR: "متوقع اعتماد",
                FR: "Confiance perçue",
            },
        ],
        "analysis": [
            {"key": "perception.meta", "value": "meta_trust"},
            {"key": "perception.direct", "value": "trust_direct"},
            {"key": "ranking", "value": "priorities"},
            {"key": "alpha", "value": "trust"},
        ],
    }


def workbook_bytes(sheets: dict[str, list[dict]]) -> bytes:
    """An .xlsx file of the sheets; each sheet's headers are its rows' keys, in first use."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        headers = list(dict.fromkeys(key for row in rows for key in row))
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
