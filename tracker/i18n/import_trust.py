"""Messages of the import's guards on its file (issue 17): regular files only, a file that
changed while it was read, the limits of one import, the output paths checked first:
(Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "import_not_regular": (
        "{path} 不是普通文件，而是{kind}，不能导入：请指定一个 CSV 或 Excel 文件。未导入任何数据。",
        "{path} is not a regular file but {kind}: it cannot be imported; name a CSV or Excel "
        "file. Nothing was imported."),
    "import_changed": (
        "{path} 在导入过程中被改动了（追加、截短或被另一个文件替换），未导入任何数据。"
        "请等文件保存并关闭后重试。",
        "{path} changed while it was being imported (appended to, cut short, or replaced by "
        "another file): nothing was imported. Try again once the file is saved and closed."),
    "import_file_too_large": (
        "{path} 有 {found} MB，超过导入上限 {limit} MB（规则 {key}），未导入任何数据。"
        "确需导入时，在 {rules_file} 中提高 {key}（tracker rules 显示该文件的位置）。",
        "{path} is {found} MB, over the import limit of {limit} MB (rule {key}): nothing was "
        "imported. To import it all the same, raise {key} in your {rules_file} (tracker rules "
        "shows where it is)."),
    "import_unzipped_too_large": (
        "{path} 中的 {part} 解压后有 {found} MB 以上，超过上限 {limit} MB（规则 {key}）：可能是损坏的"
        "或恶意构造的文件（“压缩炸弹”），未导入任何数据。确需导入时，在 {rules_file} 中提高 {key}"
        "（tracker rules 显示该文件的位置）。",
        "in {path}, {part} unzips to {found} MB or more, over the limit of {limit} MB (rule "
        "{key}): the file may be damaged or built to exhaust memory (a “zip bomb”); nothing "
        "was imported. To import it all the same, raise {key} in your {rules_file} (tracker "
        "rules shows where it is)."),
    "import_zip_sizes_differ": (
        "{path} 已损坏：其中 {part} 声明解压后 {declared} 字节，实际为 {actual} 字节。未导入任何数据；"
        "请用 Excel 打开并另存为后重试。",
        "{path} is damaged: its part {part} says it unzips to {declared} bytes but unzips to "
        "{actual}. Nothing was imported; open it in Excel, save it again and retry."),
    "import_cell_too_large": (
        "{path} 第 {line} 行 {column} 列的单元格有 {found} 个字符，超过上限 {limit}（规则 {key}），"
        "未导入任何数据。请检查该单元格；确需导入时，在 {rules_file} 中提高 {key}"
        "（tracker rules 显示该文件的位置）。",
        "{path}, line {line}, column {column}: a cell of {found} characters, over the limit "
        "of {limit} (rule {key}): nothing was imported. Check that cell; to import it all the "
        "same, raise {key} in your {rules_file} (tracker rules shows where it is)."),
    "import_too_many_rows": (
        "{path} 在表头以下超过 {limit} 行（约 {found} 行），超过上限（规则 {key}），未导入任何数据。"
        "可以把名单分成几个文件导入；确需一次导入时，在 {rules_file} 中提高 {key}"
        "（tracker rules 显示该文件的位置）。",
        "{path} has more than {limit} rows below the header (about {found}), over the limit "
        "(rule {key}): nothing was imported. Split the list into several files, or, to "
        "import it at once, raise {key} in your {rules_file} (tracker rules shows where it "
        "is)."),
    "import_output_unusable": (
        "无法写入错误清单 {path}：{detail}。未导入任何数据；请换一个文件夹或文件名后重试。",
        "cannot write the errors list to {path}: {detail}. Nothing was imported; choose "
        "another folder or file name and try again."),
}
