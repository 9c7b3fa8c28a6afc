"""Messages of `tracker import`: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the file refused as a whole (exit code 2)
    "import_missing": ("找不到要导入的文件：{path}", "file to import not found: {path}"),
    "import_is_directory": ("{path} 是文件夹，请指定一个 CSV 或 Excel 文件",
                            "{path} is a folder: name a CSV or Excel file"),
    "import_unreadable": ("无法读取 {path}（第 {line} 行附近）：{detail}",
                          "cannot read {path} (near line {line}): {detail}"),
    "import_bad_encoding": ("{path} 第 {line} 行有无法按 {encoding} 解码的字节（{detail}）。"
                            "请用 --encoding 指定文件的编码，或在 Excel 中另存为“CSV UTF-8”",
                            "{path}: line {line} has bytes that are not {encoding} ({detail}). "
                            "Name the file's encoding with --encoding, or save it from Excel "
                            "as \"CSV UTF-8\""),
    "import_unknown_encoding": ("未知编码：{encoding}（例如 gbk、gb18030、utf-8、utf-16）",
                                "unknown encoding: {encoding} (e.g. gbk, gb18030, utf-8, utf-16)"),
    "import_password": ("{path} 有密码保护，请去掉密码后再导入",
                        "{path} is password-protected: remove the password and import again"),
    "import_no_sheet": ("{path} 中没有工作表", "{path} has no worksheet"),
    "import_unknown_sheet": ("没有名为“{sheet}”的工作表（现有：{sheets}）",
                             "no sheet named “{sheet}” (sheets: {sheets})"),
    "import_sheet_not_workbook": ("--sheet 只用于 Excel 文件，{path} 是文本文件",
                                  "--sheet is for Excel files; {path} is a text file"),
    "import_empty": ("{path} 是空文件，没有表头也没有数据", "{path} is empty: no header, no rows"),
    "import_missing_columns": ("缺少必需的列：{missing}。第 {line} 行的表头是：{found}",
                               "required columns missing: {missing}. The header on line {line} "
                               "is: {found}"),
    # --- the summary
    "import_title": ("导入 {file}", "Import of {file}"),
    "import_dry_title": ("试运行导入 {file}（不写入数据库）",
                         "Dry run of the import of {file} (nothing is written)"),
    "import_encoding": ("编码：{encoding}", "Encoding: {encoding}"),
    "import_sheet": ("工作表：{sheet}", "Sheet: {sheet}"),
    "import_header_line": ("表头在第 {line} 行", "header on line {line}"),
    "import_enc_bom": ("{name}（按 BOM 识别）", "{name} (from its BOM)"),
    "import_enc_nul": ("{name}（无 BOM，按字节特征识别）", "{name} (no BOM, recognised by its bytes)"),
    "import_enc_utf8": ("UTF-8", "UTF-8"),
    "import_enc_gb18030": ("GB18030（兼容 GBK，中文 Windows 的 Excel 默认）",
                           "GB18030 (GBK superset, Chinese Windows Excel's default)"),
    "import_enc_option": ("{name}（--encoding 指定）", "{name} (from --encoding)"),
    "import_columns": ("识别的列：{columns}", "Columns recognised: {columns}"),
    "import_unknown_columns": ("未识别的列（已忽略）：{columns}",
                               "Columns not recognised (ignored): {columns}"),
    "import_duplicate_columns": ("重复的列（只用第一列）：{columns}",
                                 "Columns given twice (the first is used): {columns}"),
    "import_counts": ("数据 {rows} 行：新增 {inserted}，更新 {updated}，无变化 {unchanged}，拒绝 {rejected}",
                      "{rows} data rows: {inserted} inserted, {updated} updated, "
                      "{unchanged} unchanged, {rejected} rejected"),
    "import_blank": ("（另有 {count} 个空行已跳过）", "({count} blank rows skipped)"),
    "import_errors_title": ("被拒绝的行", "Rejected rows"),
    "import_notices_title": ("提示（不影响导入）", "Notices (the rows were imported)"),
    "import_more": ("……另有 {count} 条未显示；用 --errors 文件.csv 得到完整清单",
                    "… {count} more not shown; --errors FILE.csv writes them all"),
    "import_more_notices": ("……另有 {count} 条提示未显示", "… {count} more notices not shown"),
    "import_errors_written": ("错误清单已写入 {path}（{count} 行；可用 Excel 打开，改正后可直接重新导入该文件）",
                              "errors written to {path} ({count} rows; opens in Excel; fix the "
                              "rows and import that file as it is)"),
    "import_done": ("导入完成。", "Imported."),
    "import_done_partial": ("其余各行已导入；改正被拒绝的行后重新导入即可（已导入的行不会重复）。",
                            "The other rows were imported; fix the rejected rows and import "
                            "again (rows already in are not duplicated)."),
    "import_dry_done": ("试运行：未写入任何数据。", "Dry run: nothing was written."),
    "import_strict_refused": ("已拒绝整个文件（--strict）：{rejected} 行有错误，未写入任何数据。",
                              "The whole file is refused (--strict): {rejected} rows have "
                              "errors; nothing was written."),
    "import_all_rejected": ("所有行都被拒绝，未写入任何数据。",
                            "Every row was rejected; nothing was written."),
    "import_no_rows": ("文件只有表头，没有数据行。", "The file has a header but no data rows."),
    "import_progress": ("读取并校验", "Reading and checking"),
    "import_progress_write": ("写入数据库", "Writing to the database"),
    "import_col_line": ("行", "Line"),
    "import_col_column": ("列", "Column"),
    "import_col_value": ("值", "Value"),
}
