#!/usr/bin/env python3
"""Build each module's description page the way OCA does, from its readme/ fragments.

For every module of addons/ (or the ones named on the command line):
  readme/DESCRIPTION.md, CONFIGURE.md, USAGE.md, DETAILS.md  ->  README.rst
  README.rst                                                ->  static/description/index.html

Odoo's Apps page shows static/description/index.html; without it Odoo renders a README
at the module root as reStructuredText (a README.md comes out broken). The fragments are
the source: edit them, then run

    python3 tools/gen_module_pages.py            # every module
    python3 tools/gen_module_pages.py --check    # exit 1 when a page is out of date

Markdown is converted by a small converter for what the fragments use (headings,
paragraphs, lists, pipe tables, code blocks, inline code, bold, italics, links); the HTML
is written by docutils, which Odoo itself requires.
"""

import argparse
import ast
import re
import sys
from pathlib import Path

from docutils.core import publish_parts

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
FRAGMENTS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("DETAILS.md", "Threats closed, tests and figures"),
    ("ROADMAP.md", "Known issues / Roadmap"),
]
HEADING_CHARS = {1: "=", 2: "~", 3: "-", 4: "^"}
CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.document { max-width: 980px; margin: 0 auto; padding: 0 1em; line-height: 1.5; }
h1.title { font-size: 1.8em; }
table.docutils { border-collapse: collapse; margin: 1em 0; width: 100%; }
table.docutils td, table.docutils th { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
table.docutils th { background: #f2f2f2; }
pre.literal-block, pre.code { background: #f6f8fa; padding: 8px; overflow-x: auto; }
tt.literal, code.literal, span.pre { background: #f6f8fa; padding: 0 2px; }
.badges { margin: 0.5em 0 1em; }
.badge { display: inline-block; background: #714B67; color: #fff; border-radius: 3px; padding: 1px 8px;
         font-size: 0.85em; margin-right: 4px; }
"""


# ----------------------------------------------------------------------
# Markdown -> reStructuredText
# ----------------------------------------------------------------------
def _link(match):
    # absolute links stay links, relative ones (other .md files of the repository) become text
    label, url = match.group(1), match.group(2)
    if re.match(r"^(https?|mailto):", url):
        return f"`{label} <{url}>`__"
    return label


def _inline_text(text):
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", _link, text)
    # a word ending with "_" is a reference in RST; "|" starts a substitution
    text = re.sub(r"(\w)_(\s|$|[.,;:)])", r"\1\\_\2", text)
    return text.replace("|", r"\|")


def _inline(text):
    """Inline Markdown to RST: code spans, links; bold and italics are the same."""
    out = []
    for part in re.split(r"(`[^`]+`)", text):
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            code = part[1:-1]
            # inline markup must be separated from a letter next to it: x``y`` -> x\ ``y``
            before = "\\ " if out and out[-1][-1:].isalnum() else ""
            out.append(f"{before}``{code}``" if code.strip() else code)
            continue
        after = "\\ " if out and out[-1].endswith("``") and part[:1].isalnum() else ""
        out.append(after + _inline_text(part))
    return "".join(out)


def _table(lines):
    rows = []
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", cell) for cell in cells if cell):
            continue
        rows.append(cells)
    width = max(len(row) for row in rows)
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        for index, cell in enumerate(row + [""] * (width - len(row))):
            prefix = "   * - " if index == 0 else "     - "
            out.append(prefix + (_inline(cell) or r"\ "))
    out.append("")
    return out


def md_to_rst(markdown, base_level=1):
    """Convert the Markdown of a fragment; its ``#`` headings start at ``base_level``."""
    lines = markdown.replace("\t", "    ").splitlines()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            language = stripped[3:].strip()
            block = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                block.append(lines[i])
                i += 1
            i += 1
            out += [f".. code-block:: {language}" if language else "::", ""]
            out += ["    " + code if code.strip() else "" for code in block]
            out.append("")
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            level = min(len(heading.group(1)) - 1 + base_level, 4)
            title = _inline(heading.group(2).strip())
            out += [title, HEADING_CHARS[level] * max(len(title), 3), ""]
            i += 1
            continue
        if stripped.startswith("|"):
            block = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                block.append(lines[i])
                i += 1
            out += _table(block)
            continue
        item = re.match(r"^(\s*)([-*]|\d+\.)\s+(.*)$", line)
        if item:
            indent = len(item.group(1))
            marker = "-" if item.group(2) in "-*" else "#."
            text = [item.group(3).strip()]
            i += 1
            # continuation lines: indented text that is not a new item
            while i < len(lines) and lines[i].strip() and not re.match(r"^\s*([-*]|\d+\.)\s+", lines[i]) \
                    and (lines[i].startswith(" ") or not lines[i].strip().startswith(("#", "|", "```"))):
                text.append(lines[i].strip())
                i += 1
            pad = "  " * (indent // 2)
            if out and out[-1] and not re.match(r"^\s*(-|#\.)\s", out[-1]) and not out[-1].startswith("  "):
                out.append("")
            out.append(f"{pad}{marker} {_inline(' '.join(text))}")
            if i < len(lines) and not lines[i].strip():
                out.append("")
            continue
        if not stripped:
            out.append("")
            i += 1
            continue
        paragraph = []
        while i < len(lines) and lines[i].strip() and not re.match(r"^(#{1,4}\s|\s*([-*]|\d+\.)\s|\||```)",
                                                                  lines[i].strip()):
            paragraph.append(lines[i].strip())
            i += 1
        out += [_inline(" ".join(paragraph)), ""]
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# ----------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------
def manifest(module):
    return ast.literal_eval((module / "__manifest__.py").read_text(encoding="utf-8"))


def build_rst(module):
    info = manifest(module)
    name = info["name"]
    parts = [
        "=" * len(name), name, "=" * len(name), "",
        ".. |badge_license| replace:: {}".format(info.get("license", "")),
        ".. |badge_version| replace:: {}".format(info.get("version", "")),
        "",
        "*{}*".format(_inline(info.get("summary", "")).rstrip(".")), "",
        "**Version** {}, **license** {}, **depends on** {}.".format(
            info.get("version", ""), info.get("license", ""),
            ", ".join(f"``{dep}``" for dep in info.get("depends", []))),
        "",
        ".. contents:: Table of contents", "   :local:", "",
    ]
    readme = module / "readme"
    for filename, title in FRAGMENTS:
        path = readme / filename
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if filename == "DETAILS.md":
            # the module's former README: its title and opening lines repeat DESCRIPTION
            start = text.find("\n## ")
            text = text[start + 1:] if start >= 0 else text
            text = re.sub(r"^## ", "# ", text, flags=re.M)
            text = re.sub(r"^### ", "## ", text, flags=re.M)
        if title:
            parts += [title, "=" * len(title), ""]
            parts.append(md_to_rst(text, base_level=2))
        else:
            parts.append(md_to_rst(text, base_level=2))
        parts.append("")
    parts += [
        "Credits", "=======", "",
        "Authors", "~~~~~~~", "",
        f"- {info.get('author', '')}", "",
        "Website: {}".format(info.get("website", "")), "",
    ]
    return "\n".join(parts).rstrip() + "\n"


def build_html(rst, source):
    messages = []

    class Stream:
        def write(self, text):
            messages.append(text)

    parts = publish_parts(
        rst, source_path=str(source), writer_name="html4css1",
        settings_overrides={
            "report_level": 2, "halt_level": 5, "warning_stream": Stream(), "embed_stylesheet": False,
            "stylesheet_path": "", "output_encoding": "unicode", "doctitle_xform": True,
            "syntax_highlight": "none", "toc_backlinks": "none",
        },
    )
    html = (
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\"/>\n"
        f"<title>{parts['title']}</title>\n<style type=\"text/css\">{CSS}</style>\n</head>\n"
        f"<body>\n<div class=\"document\">\n<h1 class=\"title\">{parts['title']}</h1>\n"
        f"{parts['body']}\n</div>\n</body>\n</html>\n"
    )
    return html, messages


ICONS = {  # module: (letters, background colour)
    "client_guard": ("CG", "#714B67"),
    "client_guard_audit": ("AU", "#2E7D6B"),
    "client_guard_audit_sale": ("AS", "#3C8D5A"),
    "client_guard_exfiltration": ("EX", "#B03A2E"),
    "client_guard_snapshot": ("SN", "#1F618D"),
    "curator_transfer": ("TR", "#D68910"),
    "pbx_call_capture": ("PBX", "#117A8B"),
    "shift_close_check": ("SH", "#5B2C6F"),
}


def make_icon(module):
    """A plain icon (static/description/icon.png) when the module has none."""
    path = module / "static" / "description" / "icon.png"
    if path.exists():
        return None
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415  (only needed for new icons)

    letters, colour = ICONS.get(module.name, (module.name[:2].upper(), "#714B67"))
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=40, fill=colour)
    # a shield, the suite's sign, behind the letters
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    lighter = tuple(round(c + (255 - c) * 0.18) for c in rgb)
    draw.polygon([(128, 30), (212, 62), (204, 150), (128, 226), (52, 150), (44, 62)], fill=lighter)
    try:
        font = ImageFont.truetype("DejaVuSans-Bold.ttf", 96 if len(letters) < 3 else 72)
    except OSError:
        font = ImageFont.load_default()
    box = draw.textbbox((0, 0), letters, font=font)
    draw.text(((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1]),
              letters, font=font, fill="white")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def generate(module, check=False):
    rst = build_rst(module)
    html, messages = build_html(rst, module / "README.rst")
    if messages:
        sys.stderr.write(f"{module.name}: docutils reported:\n{''.join(messages)}")
    targets = {module / "README.rst": rst, module / "static" / "description" / "index.html": html}
    stale = []
    for path, content in targets.items():
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
    return stale, messages


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="module names (default: every module of addons/)")
    parser.add_argument("--check", action="store_true", help="only report pages that are out of date")
    args = parser.parse_args()
    modules = [ADDONS / name for name in args.modules] if args.modules else sorted(
        path.parent for path in ADDONS.glob("*/__manifest__.py"))
    failed = False
    for module in modules:
        if not (module / "readme" / "DESCRIPTION.md").exists():
            sys.stderr.write(f"{module.name}: readme/DESCRIPTION.md is missing\n")
            failed = True
            continue
        stale, messages = generate(module, check=args.check)
        if not args.check:
            icon = make_icon(module)
            if icon:
                print("written: " + str(icon.relative_to(ROOT)))
        failed |= bool(messages) or (args.check and bool(stale))
        for path in stale:
            print(("out of date: " if args.check else "written: ") + str(path.relative_to(ROOT)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
