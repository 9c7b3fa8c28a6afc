"""Messages of issue 17, classes 2 and 3: files never replaced unasked."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "output_exists": (
        "文件已存在：{path}。未覆盖，什么也没做；请换一个文件名，或加 --force 覆盖",
        "the file exists: {path}. It was not replaced and nothing was done: choose another "
        "name, or add --force to replace it"),
    "file_not_owned": (
        "{path} 属于另一个用户，不会覆盖（--force 也不行）；请换一个文件名",
        "{path} belongs to another user and is not replaced (not even with --force): "
        "choose another name"),
}
