-- A dataset's title and description in English beside the Chinese ones (issue 14): NULL when the owner gave none, and then
-- the portal's English pages show the Chinese text marked lang="zh-CN".
ALTER TABLE datasets ADD COLUMN title_en text;
ALTER TABLE datasets ADD COLUMN description_en text;
