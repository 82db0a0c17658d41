-- A column's title and description in English beside the Chinese ones (issue 15's publish form): NULL when the owner gave
-- none, and then the portal's English pages show the Chinese text marked lang="zh-CN".
ALTER TABLE dataset_columns ADD COLUMN title_en TEXT;
ALTER TABLE dataset_columns ADD COLUMN description_en TEXT;
