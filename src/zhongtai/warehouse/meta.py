"""System tables in schema ``zt_meta``: load records, job runs and workspace facts.

They live in the warehouse (not in app state) so that a load record commits in the same
transaction as the rows it describes.
"""

from __future__ import annotations

from zhongtai.warehouse.schema import Column, ColumnType, Table

__all__ = ["INFO", "JOB_RUNS", "LOADS", "META_SCHEMA", "META_TABLES"]

META_SCHEMA = "zt_meta"
T = ColumnType

LOADS = Table(
    "loads", "One record per attempted load", "每次加载尝试一条记录",
    (
        Column("load_id", T.INTEGER, "Load id", "加载编号", required=True),
        Column("job_run_id", T.INTEGER, "Job run that made the load", "所属作业运行"),
        Column("status", T.CODE, "committed, refused or failed", "已提交、被拒绝或失败", required=True,
               values=("committed", "refused", "failed")),
        Column("source", T.ID, "Source system", "来源系统"),
        Column("adapter", T.ID, "Adapter or mapping used", "所用适配器或映射"),
        Column("mapping_version", T.INTEGER, "Mapping version", "映射版本"),
        Column("mapping_hash", T.ID, "Mapping fingerprint", "映射指纹"),
        Column("file_name", T.STRING, "File name", "文件名"),
        Column("file_path", T.STRING, "Path as given", "文件路径"),
        Column("file_hash", T.ID, "SHA-256 of the file", "文件 SHA-256"),
        Column("file_bytes", T.INTEGER, "File size in bytes", "文件字节数"),
        Column("file_format", T.CODE, "csv, xlsx, parquet, jsonl", "文件格式"),
        Column("encoding", T.STRING, "Text encoding", "文本编码"),
        Column("rows_read", T.INTEGER, "Data rows read", "读取数据行数"),
        Column("rows_loaded", T.INTEGER, "Rows accepted", "接受行数"),
        Column("rows_quarantined", T.INTEGER, "Rows quarantined", "隔离行数"),
        Column("table_counts", T.JSON, "Per table: inserted, updated, unchanged, deleted", "各表新增/更新/未变/删除"),
        Column("ignored_columns", T.JSON, "Source columns not mapped", "未映射的来源列"),
        Column("quarantine_file", T.STRING, "Quarantine file name", "隔离文件名"),
        Column("error_code", T.ID, "Why the load was refused", "拒绝原因代码"),
        Column("error_params", T.JSON, "Parameters of the error (no personal data)", "错误参数(不含个人信息)"),
        Column("version", T.STRING, "zhongtai version", "zhongtai 版本"),
        Column("started_at", T.TIMESTAMP, "Started (UTC)", "开始时间(UTC)"),
        Column("finished_at", T.TIMESTAMP, "Finished (UTC)", "结束时间(UTC)"),
        Column("duration_s", T.NUMBER, "Duration in seconds", "耗时(秒)"),
    ),
    key=("load_id",),
)  # fmt: skip

JOB_RUNS = Table(
    "job_runs", "One record per job run", "每次作业运行一条记录",
    (
        Column("run_id", T.INTEGER, "Run id", "运行编号", required=True),
        Column("job", T.ID, "Job name", "作业名", required=True),
        Column("parameters", T.JSON, "Parameters", "参数"),
        Column("as_of", T.TIMESTAMP, "As-of time the job computed for (UTC)", "计算基准时间(UTC)"),
        Column("version", T.STRING, "zhongtai version", "zhongtai 版本"),
        Column("status", T.CODE, "running, succeeded or failed", "运行中、成功或失败", required=True,
               values=("running", "succeeded", "failed")),
        Column("rows", T.INTEGER, "Rows produced", "产出行数"),
        Column("result", T.JSON, "Summary of the result", "结果摘要"),
        Column("hooks", T.JSON, "Post-load hooks and their outcome", "加载后钩子及结果"),
        Column("error_code", T.ID, "Error code when failed", "失败错误代码"),
        Column("error_params", T.JSON, "Error parameters (no personal data)", "错误参数(不含个人信息)"),
        Column("started_at", T.TIMESTAMP, "Started (UTC)", "开始时间(UTC)"),
        Column("finished_at", T.TIMESTAMP, "Finished (UTC)", "结束时间(UTC)"),
        Column("duration_s", T.NUMBER, "Duration in seconds", "耗时(秒)"),
    ),
    key=("run_id",),
)  # fmt: skip

INFO = Table(
    "info",
    "Facts about the warehouse (format version, migrations)",
    "数仓信息(格式版本、迁移)",
    (
        Column("key", T.ID, "Key", "键", required=True),
        Column("value", T.STRING, "Value", "值"),
    ),
    key=("key",),
)

META_TABLES: tuple[Table, ...] = (LOADS, JOB_RUNS, INFO)
