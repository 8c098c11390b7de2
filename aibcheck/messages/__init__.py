"""Every fixed text aibcheck prints, in English and Simplified Chinese: one table, key -> (English, Chinese).

One table, so that a test can check that every key has both texts with the same {placeholders}; kept in a few
modules by subject. Texts are str.format templates. The catalogue's own texts (title, cause, fix) live beside the
English in each signature file. The Chinese follows the terms of the Chinese Image Builder documentation:
映像模板 (image template), 定制器 (customizer), 暂存资源组 (staging resource group), 生成 VM (build VM), 分发
(distribute), 取消预配 (deprovision), Azure 计算库 (Azure Compute Gallery), 托管标识 (managed identity).
"""

from aibcheck.messages import errors, preflight, report, run

MESSAGES: dict[str, tuple[str, str]] = {**report.MESSAGES, **errors.MESSAGES, **run.MESSAGES, **preflight.MESSAGES}
