"""Demo assessments for ``seed_demo``: a question bank and a quiz for every demo course, a
practical project for each freelancing course, and demo learners' attempts in every state.

Safe to run any number of times, like ``courses.demo``: banks are found by course and title,
questions by bank and prompt, pages by slug under their course; each is made (and a page
published once) only when missing, and nothing that exists is changed. A demo learner's attempts
are made only when that learner has none at that assessment, and always through the services
(``attempt_start``, ``attempt_save``, ``attempt_submit``, ``response_grade``), so the demo obeys
the same rules as a learner and a trainer do; passing may complete a course (and issue its
certificate, through the certificates app), exactly as it would for a real learner.

The questions are data (``COURSES``); ``outcome`` names the state each demo attempt ends in.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from wagtail.actions.convert_alias import ConvertAliasPageAction
from wagtail.models import Locale

from courses.models import CoursePage, Enrollment
from courses.services import enrollment_create

from .models import (
    AssessmentDraw,
    AssessmentPage,
    AssessmentQuestion,
    Attempt,
    Choice,
    Question,
    QuestionBank,
    RubricCriterion,
)
from .services import attempt_save, attempt_start, attempt_submit, response_grade

PASS_MARK = 60
PROJECT_FILE_TYPES = "pdf,png,jpg,html,docx,zip"
PARTIAL_CREDIT_NOTE = (
    "<p><i>Choose every answer that is right. Each right choice earns its share of the points; "
    "each wrong choice takes a share away (never below zero).</i></p>"
)


# --- Question data ------------------------------------------------------------------------------


def _html(text: str) -> str:
    return text if text.startswith("<") else f"<p>{text}</p>"


def _choices(texts) -> list[dict]:
    """``"* text"`` marks a correct choice; ``" // feedback"`` adds feedback to a choice."""
    choices = []
    for text in texts:
        correct = text.startswith("* ")
        text, _, feedback = text.removeprefix("* ").partition(" // ")
        choices.append({"text": text, "correct": correct, "feedback": feedback})
    return choices


def single(category, prompt, *choices, feedback="", fixed=False, points=1) -> dict:
    return {"kind": "single", "category": category, "prompt": _html(prompt),
            "choices": _choices(choices), "feedback": feedback, "fixed": fixed,
            "points": points}  # fmt: skip


def multiple(category, prompt, *choices, feedback="", fixed=False, points=2) -> dict:
    return {"kind": "multiple", "category": category,
            "prompt": _html(prompt) + PARTIAL_CREDIT_NOTE, "choices": _choices(choices),
            "partial_credit": Question.PartialCredit.RIGHT_MINUS_WRONG, "feedback": feedback,
            "fixed": fixed, "points": points}  # fmt: skip


def true_false(category, prompt, answer: bool, *, feedback="", fixed=False, points=1) -> dict:
    return {"kind": "true_false", "category": category, "prompt": _html(prompt),
            "choices": _choices([("* " if answer else "") + "True",
                                 ("" if answer else "* ") + "False"]),
            "feedback": feedback, "fixed": fixed, "points": points}  # fmt: skip


def short(category, prompt, *accepted, feedback="", fixed=False, points=1) -> dict:
    return {"kind": "short_text", "category": category, "prompt": _html(prompt),
            "accepted": list(accepted), "feedback": feedback, "fixed": fixed,
            "points": points}  # fmt: skip


def numeric(category, prompt, answer, tolerance="0", *, feedback="", fixed=False, points=1):
    return {"kind": "numeric", "category": category, "prompt": _html(prompt),
            "answer": Decimal(str(answer)), "tolerance": Decimal(str(tolerance)),
            "feedback": feedback, "fixed": fixed, "points": points}  # fmt: skip


def essay(category, prompt, *, feedback="", fixed=False, points=3) -> dict:
    return {"kind": "essay", "category": category, "prompt": _html(prompt),
            "feedback": feedback, "fixed": fixed, "points": points}  # fmt: skip


def project_file(prompt, rubric, *, feedback="", points=10) -> dict:
    """The project's file question: ``rubric`` is ``[(title, what earns the points, max)]``."""
    return {"kind": "file", "category": "project", "prompt": _html(prompt),
            "file_types": PROJECT_FILE_TYPES, "rubric": rubric, "feedback": feedback,
            "fixed": True, "project": True, "points": points}  # fmt: skip


COMPUTER_BASICS = [
    single("hardware", "Which part of a computer holds the work you are doing right now, and "
           "loses it when the power goes off?",
           "Hard disk // A hard disk keeps files when the power is off.",
           "* RAM (memory)", "Monitor // The monitor only shows the picture.",
           "Keyboard // The keyboard is an input device."),
    single("hardware", "Which of these is an output device?", "Keyboard", "Mouse", "* Printer",
           "Microphone // A microphone sends sound into the computer: input."),
    true_false("hardware", "A USB flash drive is a storage device: it keeps files when it is "
               "unplugged.", True),
    multiple("hardware", "Which of these are <b>input</b> devices?", "* Keyboard", "* Mouse",
             "* Webcam", "Speakers", "Monitor", fixed=True,
             feedback="Input devices send information into the computer; output devices show "
             "or play the result."),
    true_false("hardware", "Windows is an example of hardware.", False,
               feedback="Windows is the operating system: software, not something you touch."),
    single("files", "In the file name <code>water-cycle.docx</code>, what does "
           "<code>docx</code> tell the computer?",
           "* Which program opens the file", "Which folder the file is in",
           "How big the file is", "Who made the file"),
    true_false("files", "Cut and paste (Ctrl+X, then Ctrl+V) leaves a copy of the file in the "
               "old place.", False,
               feedback="Cut and paste moves the file; copy and paste leaves a second copy."),
    short("files", "Which keyboard shortcut <b>saves</b> your work? Write it like "
          "<code>Ctrl+A</code>.", "Ctrl+S", "Ctrl + S", "Control+S", "Ctrl S",
          feedback="Press Ctrl+S often: unsaved work is only in RAM."),
    multiple("files", "Which of these are good file names for a science homework?",
             "* water-cycle-homework.docx", "* science-grade8-water-cycle.docx",
             "document1.docx // A name like this says nothing about the file.",
             "new new final.docx"),
    single("keyboard-mouse", "Your fingers rest on the home row. Which two keys have small "
           "bumps to help you find it without looking?", "A and ;", "* F and J", "G and H",
           "S and L"),
    single("keyboard-mouse", "What do you usually do to <b>open</b> a file or a program on "
           "the desktop?", "Right-click it", "* Double-click it",
           "Drag it // Dragging moves the item.", "Press Caps Lock"),
    true_false("keyboard-mouse", "A right-click opens a menu of things you can do with the "
               "item under the pointer.", True),
    numeric("keyboard-mouse", "Amina types 30 words per minute. How many minutes does she "
            "need to type a letter of 450 words?", 15, "0.5", fixed=True,
            feedback="450 ÷ 30 = 15 minutes."),
    essay("written", "In three or four sentences, explain to a younger student why they should "
          "save their work often, and how they can do it.", fixed=True,
          feedback="A good answer says that unsaved work is only in RAM and is lost when the "
          "power goes off, and names Ctrl+S or File > Save and a clear folder and file name."),
]  # fmt: skip

# A few questions in Urdu for the Urdu Computer basics quiz. Key names stay in Latin script.
COMPUTER_BASICS_URDU = [
    single("urdu", "کمپیوٹر کا کون سا حصہ وہ کام رکھتا ہے جو آپ ابھی کر رہے ہیں، اور بجلی جانے "
           "پر اسے کھو دیتا ہے؟", "ہارڈ ڈسک", "* ریم (RAM)", "مانیٹر", "کی بورڈ", fixed=True),
    true_false("urdu", "یو ایس بی فلیش ڈرائیو ایک اسٹوریج ڈیوائس ہے۔", True, fixed=True),
    short("urdu", "آپ کا کام محفوظ (save) کرنے کا کی بورڈ شارٹ کٹ لکھیں۔", "Ctrl+S",
          "Ctrl + S", "Control+S", fixed=True),
    numeric("urdu", "ایک طالب علم ایک منٹ میں 20 الفاظ ٹائپ کرتا ہے۔ 200 الفاظ کے خط میں کتنے "
            "منٹ لگیں گے؟", 10, "0.5", fixed=True),
]  # fmt: skip

INTERNET_SAFETY = [
    single("passwords", "Which of these passwords is the strongest?", "123456",
           "Gilgit2026", "* river-apricot-kite-lantern-72 // Long and not a common word.",
           "password // One of the most common passwords of all."),
    true_false("passwords", "It is safe to use the same strong password for your email and "
               "your social media.", False,
               feedback="If one site leaks it, criminals try it everywhere: use a different "
               "password for each important account."),
    numeric("passwords", "How many characters long is the passphrase "
            "<code>blue-goat-river-tea</code>? Count the hyphens too.", 19, fixed=True),
    short("passwords", "What is the short name (three characters) for two-step verification?",
          "2FA", "2-FA", "MFA", feedback="Two-step verification is also called 2FA."),
    single("passwords", "Which account should you protect with two-step verification "
           "<b>first</b>?", "A game account", "* Your email",
           "A shopping app", feedback="Your email can reset all your other passwords."),
    multiple("scams", "A message says: <i>Your bank account is blocked. Send your PIN and the "
             "code we sent you to unblock it within 1 hour.</i> Which signs of a scam do you "
             "see?", "* It asks for your PIN and a code", "* It rushes you (1 hour)",
             "* Banks never ask for a PIN or code by message", "It mentions your bank",
             fixed=True),
    true_false("scams", "If you already gave your password to a scammer, the first thing to do "
               "is to change it and turn on two-step verification.", True),
    single("scams", "A caller says he is from a government programme and that you have won a "
           "prize, but you must pay a fee first. What do you do?",
           "Pay the fee quickly", "Give him your CNIC number to check",
           "* End the call and tell a trusted adult // Real prizes never need a fee.",
           "Send him the code from the SMS"),
    single("footprint", "What is your digital footprint?", "Your computer's serial number",
           "* The record of what you do and share online", "The size of your phone",
           "Your Wi-Fi password"),
    true_false("footprint", "Deleting a post removes every copy of it from the internet.",
               False, feedback="Others may have taken screenshots or copies."),
    true_false("footprint", "A tidy public profile that shows your real skills can help you "
               "find work.", True),
    essay("written", "Your cousin receives an SMS: she has won Rs 50,000 from a government "
          "programme and must send Rs 500 to claim it. Which signs of a scam do you see, and "
          "what should she do? Answer in four or five sentences.", fixed=True),
]  # fmt: skip

DOCUMENTS_AND_SPREADSHEETS = [
    single("documents", "Which shortcut makes the selected text <b>bold</b>?", "Ctrl+S",
           "* Ctrl+B", "Ctrl+I // Ctrl+I is italic.", "Ctrl+U // Ctrl+U is underline."),
    true_false("documents", "A PDF looks the same on every computer and phone.", True,
               fixed=True),
    single("documents", "When should you first save a new letter?",
           "* In the first minute, before you write much", "When you have finished it",
           "Only before printing", "Never: the program saves it for you"),
    multiple("documents", "Which belong in a formal letter?", "* The date",
             "* A greeting such as <i>Dear Sir</i>", "* Your name and signature at the end",
             "Emojis", "Text in five different colours"),
    single("spreadsheets", "In a spreadsheet, what is <code>B3</code>?",
           "* The cell in column B, row 3", "The cell in row B, column 3", "A formula",
           "A file name"),
    true_false("spreadsheets", "A formula in a spreadsheet starts with an equals sign (=).",
               True),
    short("spreadsheets", "Write the formula that adds up the cells B2 to B6.",
          "=SUM(B2:B6)", "SUM(B2:B6)", "= SUM(B2:B6)",
          feedback="=SUM(B2:B6) adds every cell from B2 to B6.", fixed=True),
    numeric("spreadsheets", "Cells B2 to B5 hold 150, 40, 20 and 15. What does "
            "<code>=AVERAGE(B2:B5)</code> show?", "56.25", "0.01",
            feedback="(150 + 40 + 20 + 15) ÷ 4 = 56.25."),
    numeric("spreadsheets", "Cells B2 to B5 hold 150, 40, 20 and 15. What does "
            "<code>=SUM(B2:B5)</code> show?", 225),
    single("spreadsheets", "You change B2 from 150 to 200. What happens to the cell with "
           "<code>=SUM(B2:B5)</code>?", "Nothing until you type it again",
           "* It updates by itself to 275", "It shows an error", "It becomes 200"),
    essay("written", "Describe how you would set out a spreadsheet to track your class's "
          "monthly savings: the columns, one row of example data, and the formulas for the "
          "totals."),
]  # fmt: skip

FREELANCING_FOUNDATIONS = [
    single("skills", "What is a <b>niche</b>?", "Any job on a marketplace",
           "* A small, specific part of a market",
           "A type of payment", "Your profile photo"),
    single("skills", "Which profile title is the most specific?", "Freelancer",
           "Graphic designer", "* Logo and brand designer for guest houses and cafés",
           "Hard worker, all services"),
    true_false("skills", "In a niche you compete with fewer people, and your portfolio can "
               "speak directly to the clients you want.", True),
    short("skills", "Write the one word for a small, specific part of a market that you choose "
          "to serve.", "niche", "a niche"),
    single("proposals", "A client reads only the first two lines of most proposals. What "
           "should those lines do?", "Tell your life story",
           "* Name the client's problem in their words and how you will solve it",
           "List every skill you have", "Ask for a higher budget"),
    multiple("proposals", "Which belong in a good proposal?", "* The client's problem",
             "* Proof: a link to similar work", "* A question that moves the job forward",
             "A copied template with no names", "Your bank details", fixed=True),
    true_false("proposals", "Before starting, agree the scope, the price and the deadline "
               "in writing.", True, fixed=True),
    single("payments", "Someone asks you to pay a fee before you can start a job or withdraw "
           "your earnings. What is it?", "A normal marketplace rule", "* A scam",
           "A tax", "A bonus"),
    numeric("payments", "A client pays 40 US dollars. The marketplace takes a 10 % service "
            "fee, and you withdraw the rest at 280 rupees per dollar. About how many rupees "
            "reach you? (within Rs 50)", 10080, 50, fixed=True,
            feedback="40 − 4 = 36 dollars; 36 × 280 = Rs 10,080."),
    true_false("payments", "Your bank account for withdrawals should be in your own name, "
               "with your own CNIC.", True),
    single("payments", "Why keep a spreadsheet of every job, its fees and what reached your "
           "bank?", "Clients ask for it", "* To know your real income and for tax",
           "The marketplace needs it", "It is not useful"),
    essay("written", "A guest house in Karimabad posts: <i>We need a simple logo and a "
          "Facebook cover before the tourist season.</i> Write the first three sentences of "
          "your proposal."),
    project_file(
        "Write a <b>gig description</b> for the skill and niche you chose (80 to 120 words: "
        "what you offer, for whom, and what the client receives), and a <b>proposal</b> for "
        "the job post your trainer gives you, using the five-part structure. Upload one file: "
        "PDF, Word (.docx), an HTML page, or a picture of handwritten work (PNG or JPG); ZIP "
        "if you have several files.",
        [("A clear niche and offer", "The gig says what you do, for whom, and what the "
          "client gets.", 4),
         ("About the client", "The proposal names the client's problem in their words and "
          "answers it.", 4),
         ("Scope, price and deadline", "What is included, the price and the delivery date "
          "are stated.", 3),
         ("Honest, professional writing", "Short, polite, no copied text, no promises you "
          "cannot keep.", 3)],
        feedback="Compare your proposal with the five-part structure of the lesson.",
    ),
    essay("project", "In three sentences: what did you find hardest in writing the proposal, "
          "and what will you do differently next time?", fixed=True, points=2),
]  # fmt: skip

WEB_DEVELOPMENT = [
    single("web", "When you open a web page, what does the browser first send to the "
           "server?", "* A request for the page's address", "The page's CSS",
           "Your password", "A picture"),
    true_false("web", "The server sends back HTML, CSS and image files, and the browser "
               "builds the page from them.", True),
    single("web", "HTML is the walls and rooms of a house. What is CSS?",
           "* The paint and furniture", "The address", "The electricity",
           "The builder // That is closer to you, the developer."),
    short("html", "Which HTML tag makes the biggest heading? Write it with its angle brackets, "
          "like <code>&lt;p&gt;</code>.", "<h1>", "h1",
          feedback="<code>&lt;h1&gt;</code> is the main heading; a page usually has one."),
    single("html", "Which tag shows a picture?", "<code>&lt;a&gt;</code>",
           "* <code>&lt;img&gt;</code>", "<code>&lt;p&gt;</code>",
           "<code>&lt;ul&gt;</code>", fixed=True),
    true_false("html", "The <code>&lt;img&gt;</code> tag needs a closing tag "
               "<code>&lt;/img&gt;</code>.", False),
    multiple("html", "Which of these are pairs of opening and closing tags?",
             "* <code>&lt;p&gt;</code> … <code>&lt;/p&gt;</code>",
             "* <code>&lt;h2&gt;</code> … <code>&lt;/h2&gt;</code>",
             "<code>&lt;img&gt;</code>", "<code>&lt;br&gt;</code>"),
    single("css", "Which CSS property chooses the font?", "font-color", "* font-family",
           "text-style", "typeface"),
    numeric("css", "The hex colour <code>#ff0000</code> has <code>ff</code> red. What is "
            "<code>ff</code> as an ordinary (decimal) number?", 255, fixed=True),
    numeric("css", "An image 1200 pixels wide has <code>max-width: 100%</code> and is shown "
            "on a phone screen 360 pixels wide. How many pixels wide does it appear?", 360, 1),
    multiple("css", "Which are good habits for CSS?", "* Keep it in its own file, style.css",
             "* Use a class for elements that share a style",
             "Write the same style into every tag", "Use ten different fonts"),
    essay("written", "Explain, in your own words, what the browser, the server, HTML and CSS "
          "each do when a client opens the page you made for them."),
    project_file(
        "Build a one-page website for a small local business (a shop, a guest house, a "
        "tailor): a heading, a short description, a list of services with prices, a picture "
        "and contact details, styled with your own <code>style.css</code>. Upload the HTML "
        "file, or a ZIP of the folder with its CSS and images.",
        [("Structure", "Correct HTML: headings in order, paragraphs, a list, an image with "
          "alt text.", 4),
         ("Content for the client", "The text says what the business offers and how to "
          "reach it.", 3),
         ("Styling", "A separate stylesheet with readable colours, fonts and spacing.", 3),
         ("Works on a phone", "Images shrink to fit; text is readable at 360 pixels.", 2)],
    ),
    essay("project", "In three sentences: which part of the page was hardest, and how did "
          "you check it in the browser?", fixed=True, points=2),
]  # fmt: skip

GRAPHIC_DESIGN = [
    single("principles", "Making different things clearly different (big and small, dark "
           "and light) is called…", "* Contrast", "Alignment", "Repetition", "Proximity"),
    single("principles", "Putting related items close together, so they read as one group, "
           "is called…", "Contrast", "Alignment", "Repetition", "* Proximity"),
    true_false("principles", "Repeating the same heading style on every page of a flyer "
               "makes the design look planned and consistent.", True),
    multiple("principles", "Which of these improve alignment?",
             "* Lining text up on one edge", "* Using a grid",
             "Placing each item at a random distance from the edge",
             "Centring some lines and not others", fixed=True),
    single("colour", "Which pair of colours are complementary (opposite on the colour "
           "wheel)?", "* Blue and orange", "Yellow and orange", "Green and yellow",
           "Red and pink"),
    true_false("colour", "Light grey text on a white background is easy for everyone to "
               "read.", False, feedback="Use dark text on a light background, or the "
               "opposite: strong contrast."),
    single("colour", "How many different fonts should a simple flyer usually use?",
           "* One or two", "Five", "As many as possible", "A new font for every line"),
    short("logos", "Which file format keeps a logo sharp at any size because it is a vector? "
          "Write its three-letter name.", "SVG", ".svg",
          feedback="SVG is a vector format; PNG and JPG are made of pixels."),
    numeric("logos", "A client wants a logo printed 5 cm wide at 300 dots per inch "
            "(1 inch = 2.54 cm). About how many pixels wide must the image be? "
            "(within 5 pixels)", "590.55", 5, fixed=True,
            feedback="5 ÷ 2.54 × 300 ≈ 591 pixels."),
    single("logos", "What should you do first when a client sends a logo brief?",
           "Start with the final colours", "* Read it and ask questions about anything "
           "unclear", "Copy a famous logo", "Send an invoice"),
    multiple("logos", "Which files do clients usually need when you deliver a logo?",
             "* SVG or PDF for printing at any size", "* PNG with a transparent background",
             "A screenshot of your screen", "Only the file from your design program"),
    essay("written", "A tea shop in Skardu asks for a logo that works on a signboard and on "
          "Instagram. Describe two logo ideas and say which colours and fonts you would use, "
          "and why."),
    project_file(
        "Design a logo for the client brief your trainer gives you. Upload the final logo "
        "(PNG or JPG; a PDF if you made a vector version), or a ZIP with your sketches and "
        "the final files.",
        [("Fits the brief", "The logo answers what the client asked for.", 4),
         ("Design principles", "Clear contrast, alignment and balance; simple enough to "
          "remember.", 3),
         ("Colour and type", "Colours and fonts that work together and read well, small or "
          "large.", 3),
         ("Files for the client", "The formats the client needs, named clearly.", 2)],
    ),
    essay("project", "In three sentences: explain your logo's idea to the client.", fixed=True,
          points=2),
]  # fmt: skip

QUIZ_INTRO = (
    "<p>Answer every question; your answers are saved when you change page or press Save, so "
    "you can come back later. You need {pass_mark} % to pass.</p>"
)

# slug -> bank title, questions, quiz rules (draws per category), project title or None.
COURSES = {
    "computer-basics": {
        "bank": "Computer basics questions",
        "questions": COMPUTER_BASICS,
        "quiz": {"title": "Computer basics quiz",
                 "draws": [("hardware", 2), ("files", 2), ("keyboard-mouse", 2)]},
        "project": None,
    },
    "internet-safety": {
        "bank": "Internet safety questions",
        "questions": INTERNET_SAFETY,
        "quiz": {"title": "Internet safety quiz",
                 "draws": [("passwords", 2), ("scams", 2), ("footprint", 2)]},
        "project": None,
    },
    "documents-and-spreadsheets": {
        "bank": "Documents and spreadsheets questions",
        "questions": DOCUMENTS_AND_SPREADSHEETS,
        # The timed quiz of the demo: the server submits it when the time runs out.
        "quiz": {"title": "Documents and spreadsheets quiz", "time_limit": 20,
                 "draws": [("documents", 2), ("spreadsheets", 3)]},
        "project": None,
    },
    "freelancing-foundations": {
        "bank": "Freelancing foundations questions",
        "questions": FREELANCING_FOUNDATIONS,
        "quiz": {"title": "Freelancing foundations quiz",
                 "draws": [("skills", 2), ("proposals", 1), ("payments", 2)]},
        "project": "Project: gig description and proposal",
    },
    "web-development-basics": {
        "bank": "Web development basics questions",
        "questions": WEB_DEVELOPMENT,
        "quiz": {"title": "Web development basics quiz",
                 "draws": [("web", 2), ("html", 2), ("css", 2)]},
        "project": "Project: a one-page website for a local business",
    },
    "graphic-design-basics": {
        "bank": "Graphic design basics questions",
        "questions": GRAPHIC_DESIGN,
        "quiz": {"title": "Graphic design basics quiz",
                 "draws": [("principles", 2), ("colour", 2), ("logos", 2)]},
        "project": "Project: a logo for a client",
    },
}  # fmt: skip

URDU_QUIZ = {
    "course": "computer-basics",
    "title": "کمپیوٹر کی بنیادی باتیں: کوئز",
    "intro": "<p>ہر سوال کا جواب دیں۔ پاس ہونے کے لیے 60 فیصد نمبر درکار ہیں۔</p>",
}


# --- Seeding ------------------------------------------------------------------------------------


@transaction.atomic
def demo_assessments_seed() -> None:
    """Banks, quizzes and projects for the demo courses, and demo attempts; idempotent."""
    courses = {
        course.slug: course
        for course in CoursePage.objects.filter(locale__language_code="en", slug__in=COURSES)
    }
    pages: dict[tuple[str, str], AssessmentPage] = {}
    for slug, spec in COURSES.items():
        course = courses.get(slug)
        if course is None:
            continue  # no demo curriculum (or a trainer removed the course)
        bank, _ = QuestionBank.objects.get_or_create(
            course=course,
            title=spec["bank"],
            defaults={"description": f"Questions for the {course.title} quiz and project."},
        )
        questions = [(data, _question(bank, data)) for data in spec["questions"]]
        if spec["project"]:
            fixed = [q for data, q in questions if data["category"] == "project"]
            pages[slug, "project"] = _assessment(
                course, "project", spec["project"], AssessmentPage.Kind.PROJECT, fixed, []
            )
        fixed = [q for data, q in questions if data["fixed"] and data["category"] != "project"]
        quiz = spec["quiz"]
        draws = [AssessmentDraw(bank=bank, category=c, count=n) for c, n in quiz["draws"]]
        pages[slug, "quiz"] = _assessment(
            course, "quiz", quiz["title"], AssessmentPage.Kind.QUIZ, fixed, draws,
            time_limit=quiz.get("time_limit", 0),
        )  # fmt: skip
    if URDU_QUIZ["course"] in courses:
        course = courses[URDU_QUIZ["course"]]
        bank = QuestionBank.objects.get(course=course, title=COURSES[course.slug]["bank"])
        urdu = [_question(bank, data) for data in COMPUTER_BASICS_URDU]
        _urdu_quiz(pages[course.slug, "quiz"], urdu)
    _demo_attempts(pages)


def _question(bank: QuestionBank, data: dict) -> Question:
    """The bank's question with this prompt, made (with its choices and rubric) when missing."""
    existing = bank.questions.filter(prompt=data["prompt"]).first()
    if existing is not None:
        return existing
    question = Question(
        bank=bank,
        category=data["category"],
        kind=data["kind"],
        prompt=data["prompt"],
        points=Decimal(data["points"]),
        feedback=_html(data["feedback"]) if data["feedback"] else "",
        partial_credit=data.get("partial_credit", Question.PartialCredit.RIGHT_MINUS_WRONG),
        accepted_answers="\n".join(data.get("accepted", [])),
        numeric_answer=data.get("answer"),
        numeric_tolerance=data.get("tolerance", Decimal(0)),
        allowed_file_types=data.get("file_types", ""),
    )
    question.choices = [
        Choice(text=c["text"], is_correct=c["correct"], feedback=c["feedback"])
        for c in data.get("choices", [])
    ]
    question.rubric = [
        RubricCriterion(title=title, description=description, max_points=Decimal(points))
        for title, description, points in data.get("rubric", [])
    ]
    # The same checks as the admin form: demo questions obey the rules trainers follow.
    question.full_clean()
    problems = question.choice_problems(question.choices.all())
    if problems:
        raise ValueError(f"Demo question {data['prompt'][:60]!r}: {problems}")
    question.save()
    return question


def _assessment(course, slug, title, kind, fixed, draws, *, time_limit=0) -> AssessmentPage:
    """The course's assessment page with this slug, made and published (last child) if missing."""
    page = course.get_children().filter(slug=slug).specific().first()
    if page is not None:
        if not isinstance(page, AssessmentPage):
            raise RuntimeError(f"{page.url_path} is not an assessment: rename or move it.")
        return page
    page = AssessmentPage(
        title=title,
        slug=slug,
        kind=kind,
        intro=QUIZ_INTRO.format(pass_mark=PASS_MARK),
        pass_mark_percent=PASS_MARK,
        time_limit_minutes=time_limit,
        max_attempts=3 if kind == AssessmentPage.Kind.QUIZ else 0,
        shuffle_choices=kind == AssessmentPage.Kind.QUIZ,
        required_for_completion=True,
        live=False,  # live once published, like a page saved as a draft in the editor
    )
    page.fixed_questions = [AssessmentQuestion(question=q) for q in fixed]
    page.draws = draws
    course.add_child(instance=page)
    page.save_revision().publish()
    return page


def _urdu_quiz(quiz: AssessmentPage, questions: list[Question]) -> None:
    """The Urdu Computer basics course's quiz: its own page (not an alias) with Urdu questions.

    Page-tree synchronisation leaves an alias of the English quiz in the Urdu tree; it becomes
    a page of its own, once, with the Urdu title and questions.
    """
    locale = Locale.objects.filter(language_code="ur").first()
    if locale is None:
        return
    existing = quiz.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id is None:
        return
    if existing is not None:
        page = ConvertAliasPageAction(existing).execute(skip_permission_checks=True).specific
    else:
        page = quiz.copy_for_translation(locale, copy_parents=True).specific
    page.title, page.intro = URDU_QUIZ["title"], URDU_QUIZ["intro"]
    page.fixed_questions = [AssessmentQuestion(question=q) for q in questions]
    page.draws = []
    page.save_revision().publish()


# --- Demo attempts ------------------------------------------------------------------------------

IN_PROGRESS, SUBMITTED, PASSED, FAILED = "in progress", "awaiting grading", "passed", "failed"

# (learner, course, assessment, the state the attempt ends in)
ATTEMPTS = [
    ("student.glt1", "computer-basics", "quiz", IN_PROGRESS),
    ("student.glt3", "computer-basics", "quiz", SUBMITTED),
    ("student.skd1", "computer-basics", "quiz", PASSED),
    ("student.skd3", "computer-basics", "quiz", FAILED),
    ("youth.sthdmr1", "web-development-basics", "quiz", PASSED),
    ("youth.sthdmr3", "web-development-basics", "quiz", FAILED),
    ("youth.glt3", "freelancing-foundations", "quiz", IN_PROGRESS),
    ("youth.glt1", "freelancing-foundations", "project", SUBMITTED),
    ("youth.skd1", "freelancing-foundations", "project", PASSED),
    ("youth.skd3", "freelancing-foundations", "project", FAILED),
]

# What demo learners write in essays: on the Computer basics quiz, and on a project.
ESSAYS = {
    "quiz": {
        True: "<p>Work that is not saved is only in the computer's memory, so it is lost if the "
        "electricity goes off. Save in the first minute with Ctrl+S, give the file a clear name "
        "and put it in the right folder. Then press Ctrl+S again every few minutes.</p>",
        False: "<p>Save it sometimes.</p>",
    },
    "project": {
        True: "<p>The hardest part was writing the client's problem in their own words instead "
        "of talking about myself. I rewrote the first two lines three times. Next time I will "
        "read the job post twice and ask one question about it first.</p>",
        False: "<p>It was ok.</p>",
    },
}

PROJECT_FILE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gig and proposal</title></head>
<body>
<h1>Gig: simple logos for guest houses and cafés in Hunza</h1>
<p>I design clear, simple logos for guest houses and cafés. You get three ideas in two days,
two rounds of changes, and the final logo as PNG, SVG and PDF, ready for your signboard and
Instagram.</p>
<h2>Proposal</h2>
<p>Hello Sara, you need a logo for your new café that looks good on a signboard and on
Instagram. I will send you three simple ideas in two days, then the final files in five days,
for the budget you posted. Here is a logo I made for a tea shop: (link). Do you already have
colours you want to keep?</p>
</body></html>
"""


def _demo_attempts(pages) -> None:
    User = get_user_model()
    for username, course_slug, kind, outcome in ATTEMPTS:
        page = pages.get((course_slug, kind))
        learner = User.objects.filter(username=username).first()
        if page is None or learner is None:
            continue  # no demo network or curriculum to build on
        if Attempt.objects.filter(assessment=page, learner=learner).exists():
            continue  # made by an earlier run (or by the learner): leave it as it is
        course = page.get_parent().specific
        if not Enrollment.objects.filter(learner=learner, course=course).exists():
            # Demo youth join the freelancing courses of their cohort's track.
            enrollment_create(learner=learner, course=course, check_prerequisites=False)
        _demo_attempt(learner, page, outcome)


def _demo_attempt(learner, page: AssessmentPage, outcome: str) -> Attempt:
    good = outcome in (PASSED, IN_PROGRESS, SUBMITTED)
    attempt = attempt_start(learner=learner, assessment=page)
    answers, files = {}, {}
    for position, question in enumerate(attempt.questions):
        if question["kind"] == "file":
            files[position] = SimpleUploadedFile(
                "gig-and-proposal.html", PROJECT_FILE.encode(), content_type="text/html"
            )
        else:
            essay_text = ESSAYS.get(page.slug, ESSAYS["quiz"])[good]
            answers[position] = _answer(question, right=good, essay_text=essay_text)
    if outcome == IN_PROGRESS:
        # Half-way through: the first page's answers are saved, nothing is submitted.
        first_page = dict(list(answers.items())[: len(answers) // 2])
        return attempt_save(attempt=attempt, answers=first_page, sequence=attempt.sequence)
    attempt = attempt_save(attempt=attempt, answers=answers, files=files, sequence=attempt.sequence)
    attempt = attempt_submit(attempt=attempt)
    if outcome != SUBMITTED:
        grader = _grader(attempt)
        for response in attempt.responses.order_by("position"):
            question = attempt.questions[response.position]
            if question["kind"] in ("essay", "file"):
                _grade(response, question, grader, good=outcome == PASSED)
        attempt.refresh_from_db()
    expected = {
        SUBMITTED: (Attempt.Status.SUBMITTED, None),
        PASSED: (Attempt.Status.GRADED, True),
        FAILED: (Attempt.Status.GRADED, False),
    }[outcome]
    if (attempt.status, attempt.passed) != expected:
        raise RuntimeError(
            f"Demo attempt of {learner} at {page.title!r} ended {attempt.status}/"
            f"{attempt.passed}, not {outcome}: check the demo questions."
        )
    return attempt


def _answer(question: dict, *, right: bool, essay_text: str = ""):
    """A learner's answer in the form's shape: choice ids as strings, text as text."""
    kind = question["kind"]
    if kind in ("single", "true_false", "multiple"):
        picked = [str(c["id"]) for c in question["choices"] if c["correct"] == right]
        return picked if kind == "multiple" else picked[:1]
    if kind == "short_text":
        return question["accepted"][0] if right else "I don't know"
    if kind == "numeric":
        expected = Decimal(question["numeric_answer"])
        given = expected if right else expected + 7 + Decimal(question["tolerance"])
        return f"{given.normalize():f}"
    return essay_text


def _grader(attempt: Attempt):
    """A trainer of the learner's cohort (whose queue the attempt is in), else an admin."""
    enrollment = Enrollment.objects.select_related("cohort").get(pk=attempt.enrollment_id)
    trainer = enrollment.cohort.trainers.order_by("pk").first() if enrollment.cohort else None
    return trainer or get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def _grade(response, question: dict, grader, *, good: bool) -> None:
    if question["rubric"]:
        maxima = [Decimal(c["max_points"]) for c in question["rubric"]]
        scores = maxima if good else [m // 3 for m in maxima]
        feedback = (
            "<p>A clear offer, and the proposal speaks to the client. Well done.</p>"
            if good
            else "<p>The proposal does not say what the client gets, or by when. Use the "
            "five-part structure and try again.</p>"
        )
        response_grade(response=response, grader=grader, rubric_scores=scores, feedback=feedback)
        return
    points = Decimal(question["points"])
    score = points if good else Decimal(0)
    feedback = (
        "<p>Clear and complete.</p>" if good else "<p>Say why, and how: see the lesson again.</p>"
    )
    response_grade(response=response, grader=grader, score=score, feedback=feedback)
