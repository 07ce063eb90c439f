#!/usr/bin/env python3
"""cjk.py FILE: exit 0 if FILE (UTF-8) holds Chinese text, 1 if not."""
import re
import sys

sys.exit(0 if re.search("[\u4e00-\u9fff]", open(sys.argv[1], encoding="utf-8").read()) else 1)
