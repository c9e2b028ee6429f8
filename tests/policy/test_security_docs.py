"""docs/{en,zh}/security.md print the role and PII matrices exactly as the code defines them."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhongtai.policy import ROLE_PERMISSIONS, ROLE_PII, Action, Capability, Permission, Role
from zhongtai.warehouse.schema import PiiClass

DOCS = Path(__file__).resolve().parents[2] / "docs"


def role_matrix() -> str:
    lines = ["| capability | " + " | ".join(r.value for r in Role) + " |", "|---|" + "---|" * len(Role)]
    for capability in Capability:
        cells = [
            "".join(a.value[0] for a in Action if Permission(capability, a) in ROLE_PERMISSIONS[r]) or "–" for r in Role
        ]
        lines.append(f"| `{capability.value}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def pii_matrix(view: str, export: str) -> str:
    lines = ["| PII class | " + " | ".join(r.value for r in Role) + " |", "|---|" + "---|" * len(Role)]
    for pii in PiiClass:
        if pii is PiiClass.NONE:
            continue
        cells = []
        for role in Role:
            read = Permission(Capability.PII, Action.READ) in ROLE_PERMISSIONS[role] and pii in ROLE_PII[role]
            out = Permission(Capability.PII, Action.EXPORT) in ROLE_PERMISSIONS[role] and pii in ROLE_PII[role]
            cells.append(f"{view}, {export}" if read and out else view if read else "–")
        lines.append(f"| `{pii.value}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _section(text: str, name: str) -> str:
    return text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"\n<!-- {name}:end -->", 1)[0]


@pytest.mark.parametrize(("lang", "view", "export"), [("en", "view", "export"), ("zh", "查看", "导出")])
def test_the_security_page_matches_the_role_matrix(lang: str, view: str, export: str) -> None:
    text = (DOCS / lang / "security.md").read_text(encoding="utf-8")
    assert _section(text, "roles").replace("能力", "capability") == role_matrix()
    assert _section(text, "pii").replace("个人信息类别", "PII class") == pii_matrix(view, export)
    assert "MASKING_" not in text
