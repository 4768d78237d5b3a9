"""The supervision workflow's domain layer: pure functions over plain dataclasses.

No database, no CLI: the store and the command groups call these. Modules:
calendar (working days), sampling (抽查), results (合格率, 环比, 问题网站名单), rectify (整改/复查),
jiucuo (我为政府网站找错), accountability (问责), documents (通报 and 年度报表 files).
"""
