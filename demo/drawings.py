"""The demo lessons' illustrations, drawn with Pillow: flat colours, small PNGs."""

import math
from io import BytesIO

INK = "#1f2933"
MUTED = "#52606d"
LINE = "#9aa5b1"
BLUE = "#cfe3ff"
GREEN = "#d6f5d6"
YELLOW = "#f2c14e"
ACCENT = "#1d4e89"


def draw(key: str) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    size = {"keyboard-home-row": (800, 330), "design-principles": (800, 500)}.get(key, (800, 450))
    canvas = PILImage.new("RGB", size, "white")
    draw = ImageDraw.Draw(canvas)
    fonts = {n: ImageFont.load_default(size=n) for n in (14, 16, 18, 22, 26)}
    _DRAWINGS[key](draw, fonts)
    out = BytesIO()
    canvas.quantize(colors=48).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _label(draw, xy, text, font, fill=INK, anchor="mm"):
    draw.text(xy, text, font=font, fill=fill, anchor=anchor)


def _draw_computer_parts(draw, fonts):
    # Monitor on a stand
    draw.rounded_rectangle((110, 60, 470, 280), 10, fill="#3e4c59")
    draw.rectangle((126, 76, 454, 264), fill="#dbeafe")
    _label(draw, (290, 170), "Windows desktop", fonts[18], MUTED)
    draw.polygon([(270, 280), (310, 280), (322, 318), (258, 318)], fill="#7b8794")
    draw.rectangle((225, 318, 355, 328), fill="#7b8794")
    _label(draw, (290, 36), "Monitor (output)", fonts[22])
    # System unit
    draw.rounded_rectangle((560, 70, 690, 330), 8, fill="#52606d")
    for y in (100, 118):
        draw.rectangle((580, y, 670, y + 8), fill="#7b8794")
    draw.ellipse((612, 280, 638, 306), outline="#a7f3d0", width=4)
    _label(draw, (625, 36), "System unit", fonts[22])
    _label(draw, (625, 352), "CPU, RAM, storage", fonts[16], MUTED)
    # Keyboard
    draw.rounded_rectangle((110, 350, 470, 410), 6, fill="#cbd2d9")
    for row in range(3):
        for col in range(14):
            x, y = 120 + col * 24.5, 358 + row * 17
            draw.rectangle((x, y, x + 20, y + 13), fill="white")
    _label(draw, (290, 432), "Keyboard (input)", fonts[22])
    # Mouse
    draw.ellipse((510, 360, 556, 420), fill="#cbd2d9", outline=MUTED, width=2)
    draw.line((533, 360, 533, 385), fill=MUTED, width=2)
    _label(draw, (533, 438), "Mouse (input)", fonts[18])


def _draw_folder_tree(draw, fonts):
    rows = [
        (0, "Documents", True),
        (1, "School", True),
        (2, "Science", True),
        (3, "water-cycle.docx", False),
        (2, "Maths", True),
        (3, "fractions.xlsx", False),
        (1, "Photos", True),
        (2, "trip-to-hunza.jpg", False),
    ]
    top, step, indent, left = 40, 48, 56, 50
    parents: list[int] = []
    for index, (depth, name, is_folder) in enumerate(rows):
        x, y = left + depth * indent, top + index * step
        del parents[depth:]
        if parents:
            parent_index = parents[-1]
            px = left + (depth - 1) * indent + 14
            draw.line((px, top + parent_index * step + 16, px, y), fill=LINE, width=2)
            draw.line((px, y, x - 4, y), fill=LINE, width=2)
        if is_folder:
            draw.rectangle((x, y - 14, x + 14, y - 10), fill=YELLOW)
            draw.rectangle((x, y - 10, x + 30, y + 12), fill=YELLOW)
            parents.append(index)
        else:
            draw.polygon(
                [
                    (x + 4, y - 14),
                    (x + 18, y - 14),
                    (x + 26, y - 6),
                    (x + 26, y + 14),
                    (x + 4, y + 14),
                ],
                fill="white",
                outline=MUTED,
            )
        _label(draw, (x + 40, y), name, fonts[22], anchor="lm")
    draw.rounded_rectangle((470, 60, 770, 200), 8, outline=LINE, width=2)
    _label(draw, (490, 90), "Path:", fonts[18], MUTED, anchor="lm")
    _label(draw, (490, 125), "Documents > School", fonts[18], anchor="lm")
    _label(draw, (490, 155), "  > Science", fonts[18], anchor="lm")
    _label(draw, (620, 250), "Folder", fonts[18], anchor="lm")
    draw.rectangle((580, 236, 594, 240), fill=YELLOW)
    draw.rectangle((580, 240, 610, 262), fill=YELLOW)
    _label(draw, (620, 300), "File", fonts[18], anchor="lm")
    draw.rectangle((584, 286, 606, 314), fill="white", outline=MUTED)


def _draw_keyboard_home_row(draw, fonts):
    _label(draw, (400, 26), "The home row", fonts[26])
    rows = [("QWERTYUIOP", 0), ("ASDFGHJKL;", 22), ("ZXCVBNM,./", 50)]
    key, gap, left, top = 58, 8, 60, 60
    for r, (letters, offset) in enumerate(rows):
        for c, letter in enumerate(letters):
            x, y = left + offset + c * (key + gap), top + r * (key + gap)
            fill = "#f5f7fa"
            if r == 1 and c < 4:
                fill = BLUE
            elif r == 1 and c >= 6:
                fill = GREEN
            draw.rounded_rectangle((x, y, x + key, y + key), 6, fill=fill, outline=LINE, width=2)
            _label(draw, (x + key / 2, y + key / 2 - 4), letter, fonts[22])
            if r == 1 and letter in "FJ":
                draw.line((x + 20, y + key - 10, x + key - 20, y + key - 10), fill=INK, width=3)
    y = top + 3 * (key + gap)
    draw.rounded_rectangle((left + 180, y, left + 480, y + 40), 6, fill="#f5f7fa", outline=LINE)
    _label(draw, (left + 330, y + 20), "space bar: thumbs", fonts[16], MUTED)
    draw.rectangle((60, 300, 78, 316), fill=BLUE)
    _label(draw, (86, 308), "left hand", fonts[16], anchor="lm")
    draw.rectangle((200, 300, 218, 316), fill=GREEN)
    _label(draw, (226, 308), "right hand", fonts[16], anchor="lm")
    _label(draw, (360, 308), "bumps on F and J", fonts[16], MUTED, anchor="lm")


def _draw_spreadsheet_grid(draw, fonts):
    draw.rectangle((40, 30, 140, 64), outline=ACCENT, width=2)
    _label(draw, (90, 47), "B3", fonts[22])
    _label(draw, (90, 82), "Name Box", fonts[14], MUTED)
    draw.rectangle((160, 30, 760, 64), outline=LINE, width=2)
    _label(draw, (176, 47), "fx   40", fonts[22], anchor="lm")
    _label(draw, (460, 82), "formula bar", fonts[14], MUTED)
    cells = [
        ["Item", "Price (Rs)", "Quantity", ""],
        ["Notebook", "150", "4", ""],
        ["Pen", "40", "3", ""],
        ["Pencil", "20", "5", ""],
        ["Eraser", "15", "2", ""],
        ["Ruler", "50", "1", ""],
    ]
    left, top, head, width, height = 40, 100, 50, 175, 48
    for c, letter in enumerate("ABCD"):
        x = left + head + c * width
        fill = BLUE if letter == "B" else "#eef2f7"
        draw.rectangle((x, top, x + width, top + 30), fill=fill, outline=LINE)
        _label(draw, (x + width / 2, top + 15), letter, fonts[18])
    for r, row in enumerate(cells):
        y = top + 30 + r * height
        fill = BLUE if r == 2 else "#eef2f7"
        draw.rectangle((left, y, left + head, y + height), fill=fill, outline=LINE)
        _label(draw, (left + head / 2, y + height / 2), str(r + 1), fonts[18])
        for c, text in enumerate(row):
            x = left + head + c * width
            draw.rectangle((x, y, x + width, y + height), outline=LINE)
            if text.isdigit():
                _label(draw, (x + width - 12, y + height / 2), text, fonts[18], anchor="rm")
            else:
                _label(draw, (x + 12, y + height / 2), text, fonts[18], anchor="lm")
    x, y = left + head + width, top + 30 + 2 * height
    draw.rectangle((x, y, x + width, y + height), outline="#137333", width=4)


def _draw_web_page_parts(draw, fonts):
    # Browser window with the page it builds
    draw.rounded_rectangle((30, 60, 330, 390), 8, outline=MUTED, width=2)
    draw.rectangle((32, 62, 328, 96), fill="#eef2f7")
    draw.rounded_rectangle((44, 70, 316, 90), 6, fill="white", outline=LINE)
    _label(draw, (54, 80), "https://example.com/about.html", fonts[14], MUTED, anchor="lm")
    draw.rectangle((56, 116, 250, 136), fill=ACCENT)
    for y in (152, 170, 188):
        draw.rectangle((56, y, 300, y + 8), fill="#cbd2d9")
    draw.rectangle((56, 212, 190, 300), fill=YELLOW)
    for y in (316, 334):
        draw.rectangle((56, y, 300, y + 8), fill="#cbd2d9")
    _label(draw, (180, 36), "Browser", fonts[26])
    _label(draw, (180, 420), "3. The browser builds the page", fonts[16], MUTED)
    # Server
    for i in range(3):
        y = 120 + i * 70
        draw.rounded_rectangle((600, y, 760, y + 56), 6, fill="#52606d")
        draw.ellipse((720, y + 22, 732, y + 34), fill="#a7f3d0")
    _label(draw, (680, 90), "Server", fonts[26])
    # Request and response
    draw.line((350, 140, 580, 140), fill=ACCENT, width=3)
    draw.polygon([(580, 132), (596, 140), (580, 148)], fill=ACCENT)
    _label(draw, (465, 118), "1. Request: /about.html", fonts[16])
    draw.line((366, 330, 590, 330), fill="#137333", width=3)
    draw.polygon([(366, 322), (350, 330), (366, 338)], fill="#137333")
    _label(draw, (470, 352), "2. Response: the files", fonts[16])
    for i, (name, colour) in enumerate(
        [("about.html", "#fde2e2"), ("style.css", BLUE), ("photo.jpg", "#fff3c4")]
    ):
        y = 180 + i * 44
        draw.rectangle((400, y, 530, y + 34), fill=colour, outline=MUTED)
        _label(draw, (465, y + 17), name, fonts[16])


def _draw_design_principles(draw, fonts):
    def card(x, y, label):
        draw.rounded_rectangle((x, y, x + 160, y + 150), 6, outline=LINE, width=2)
        _label(draw, (x + 80, y + 166), label, fonts[14], MUTED)

    def bars(x, y, widths, fill="#cbd2d9", height=10, gap=18, offsets=None):
        for i, w in enumerate(widths):
            dx = offsets[i] if offsets else 0
            draw.rectangle((x + dx, y + i * gap, x + dx + w, y + i * gap + height), fill=fill)

    panels = [
        ("Contrast", 20, 20),
        ("Alignment", 410, 20),
        ("Repetition", 20, 260),
        ("Proximity", 410, 260),
    ]
    for title, px, py in panels:
        _label(draw, (px + 185, py + 14), title, fonts[22])
        card(px + 10, py + 34, "before")
        card(px + 200, py + 34, "after")
    # Contrast: a title barely different from the text vs. a big dark title
    bars(40, 74, [110], fill="#aab4c0", height=12)
    bars(40, 96, [130, 120, 130, 90])
    bars(230, 70, [130], fill=INK, height=26)
    bars(230, 112, [130, 120, 130], height=8, gap=16)
    # Alignment: ragged vs. on one edge
    bars(430, 74, [100, 120, 80, 110, 90], offsets=[20, 0, 40, 10, 30], height=10, gap=22)
    draw.line((620, 66, 620, 178), fill="#d64545", width=1)
    bars(621, 74, [100, 120, 80, 110, 90], height=10, gap=22)
    # Repetition: headings in mixed colours, sizes and places vs. one repeated style
    for i, (colour, dx, height) in enumerate(
        [("#d64545", 0, 14), ("#137333", 24, 6), (ACCENT, 8, 10)]
    ):
        draw.rectangle((40 + dx, 312 + i * 42, 110 + dx, 312 + i * 42 + height), fill=colour)
        bars(40, 330 + i * 42, [120], height=6)
    for i in range(3):
        draw.ellipse((230, 311 + i * 42, 244, 325 + i * 42), fill=ACCENT)
        draw.rectangle((252, 312 + i * 42, 330, 324 + i * 42), fill=ACCENT)
        bars(252, 330 + i * 42, [100], height=6)
    # Proximity: evenly spread vs. two clear groups
    bars(430, 308, [120, 100, 110, 120, 90, 100], height=8, gap=22)
    bars(620, 312, [120, 100, 110], height=8, gap=14)
    bars(620, 384, [120, 90, 100], height=8, gap=14)


def _draw_colour_wheel(draw, fonts):
    colours = [
        "#e52421",
        "#f15a22",
        "#f7941d",
        "#fdb913",
        "#fff200",
        "#8dc63f",
        "#00a651",
        "#00a99d",
        "#0072bc",
        "#2e3192",
        "#662d91",
        "#b51f6f",
    ]
    names = {0: "red", 2: "orange", 4: "yellow", 6: "green", 8: "blue", 10: "violet"}
    cx, cy, radius = 240, 235, 165
    for i, colour in enumerate(colours):
        start = -90 - 15 + i * 30
        draw.pieslice(
            (cx - radius, cy - radius, cx + radius, cy + radius),
            start,
            start + 30,
            fill=colour,
            outline="white",
            width=2,
        )
        if i in names:
            angle = math.radians(start + 15)
            x, y = cx + (radius + 26) * math.cos(angle), cy + (radius + 22) * math.sin(angle)
            _label(draw, (x, y), names[i], fonts[16])
    draw.ellipse((cx - 60, cy - 60, cx + 60, cy + 60), fill="white")

    def point(i, r=radius - 50):
        angle = math.radians(-90 + i * 30)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    draw.line((*point(8), *point(2)), fill=INK, width=3)
    _label(draw, (470, 90), "Complementary: opposite", fonts[22], anchor="lm")
    for i, index in enumerate((8, 2)):
        draw.rectangle((470 + i * 60, 118, 520 + i * 60, 168), fill=colours[index])
    _label(draw, (470, 200), "blue + orange: strong contrast", fonts[16], MUTED, anchor="lm")
    _label(draw, (470, 270), "Analogous: side by side", fonts[22], anchor="lm")
    for i, index in enumerate((4, 3, 2)):
        draw.rectangle((470 + i * 60, 298, 520 + i * 60, 348), fill=colours[index])
    _label(draw, (470, 380), "yellow to orange: calm", fonts[16], MUTED, anchor="lm")


_DRAWINGS = {
    "computer-parts": _draw_computer_parts,
    "folder-tree": _draw_folder_tree,
    "keyboard-home-row": _draw_keyboard_home_row,
    "spreadsheet-grid": _draw_spreadsheet_grid,
    "web-page-parts": _draw_web_page_parts,
    "design-principles": _draw_design_principles,
    "colour-wheel": _draw_colour_wheel,
}
