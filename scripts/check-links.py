#!/usr/bin/env python3
"""Checks that every relative link in the project's Markdown files resolves: the file or folder
exists, and an #anchor names a heading of the file it points at. Exits 1 and lists each broken
link (file:line, the link, why) when one does not. Links to other sites are not followed."""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LINK = re.compile(r"(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|!\[[^\]]*\]\(([^)\s]+)\)")


def markdown_files():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.splitlines() if "node_modules/" not in f and os.path.exists(os.path.join(ROOT, f))]


def prose_lines(path):
    """The file's lines outside fenced code blocks, with their numbers; inline code is blanked."""
    fenced = False
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            if not fenced:
                yield number, re.sub(r"`[^`]*`", lambda m: "`" + "x" * (len(m.group(0)) - 2) + "`", line)


def slug(heading):
    # GitHub's anchors: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens.
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


_anchors = {}


def anchors(path):
    if path not in _anchors:
        found, seen = set(), {}
        fenced = False
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.lstrip().startswith("```"):
                    fenced = not fenced
                    continue
                m = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
                if m:
                    base = slug(m.group(1))
                    n = seen.get(base, 0)
                    seen[base] = n + 1
                    found.add(base if n == 0 else f"{base}-{n}")
        _anchors[path] = found
    return _anchors[path]


def main():
    broken = []
    files = markdown_files()
    for name in files:
        path = os.path.join(ROOT, name)
        for number, line in prose_lines(path):
            for m in LINK.finditer(line):
                target = m.group(1) or m.group(2)
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
                    continue
                file_part, _, anchor = target.partition("#")
                resolved = path if file_part == "" else os.path.normpath(os.path.join(os.path.dirname(path), file_part))
                if not resolved.startswith(ROOT + os.sep) and resolved != ROOT:
                    broken.append(f"{name}:{number}: {target} points outside the repository")
                elif not os.path.exists(resolved):
                    broken.append(f"{name}:{number}: {target} names no file ({os.path.relpath(resolved, ROOT)})")
                elif anchor and resolved.endswith(".md") and anchor not in anchors(resolved):
                    broken.append(f"{name}:{number}: {target} names no heading of {os.path.relpath(resolved, ROOT)}")
    for line in broken:
        print(line, file=sys.stderr)
    if broken:
        print(f"{len(broken)} broken link(s) in the Markdown files; fix the path or the heading they name.", file=sys.stderr)
        return 1
    print(f"Every relative link in {len(files)} Markdown files resolves.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
