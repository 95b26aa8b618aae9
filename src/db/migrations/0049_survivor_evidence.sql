-- 0049 survivors' evidence (issue 11): the papers a 供养亲属 hands in, as case materials tagged to
-- the dependant, and whether a child or a parent is adoptive. 《河南省工伤保险条例》第三十四条第二款:
-- "工伤职工的供养亲属凭工伤认定决定、劳动能力鉴定结论、公安户籍管理机构出具的供养亲属身份证明、街道办事处或者乡镇
-- 人民政府出具的无生活来源的证明、民政部门出具的孤寡老人或者孤儿的证明、养子女（养父母）的公证书等有关材料享受工伤
-- 保险待遇。" (the rule: src/rules/values/410000/survivor-evidence.yaml). Forward-only: never edit once shipped.

-- 养子女 or 养父母: only a child or a parent; every recorded dependant so far is not.
ALTER TABLE case_dependants ADD COLUMN adoptive boolean NOT NULL DEFAULT false;
ALTER TABLE case_dependants ADD CONSTRAINT case_dependants_adoptive_relation
  CHECK (NOT adoptive OR relation IN ('child', 'parent'));

-- A material that is one dependant's paper names the dependant, of the same case (the foreign key
-- carries the case id, so a paper cannot be tagged to another case's dependant). The item codes
-- `dependant_…` are exactly the tagged ones. Adding a nullable column fires no row trigger: the
-- append-only rows keep what they held, untagged.
CREATE UNIQUE INDEX case_dependants_case_id ON case_dependants (region_code, case_id, id);
ALTER TABLE case_materials ADD COLUMN dependant_id text;
ALTER TABLE case_materials ADD CONSTRAINT case_materials_dependant_fkey
  FOREIGN KEY (region_code, case_id, dependant_id)
  REFERENCES case_dependants (region_code, case_id, id);
ALTER TABLE case_materials ADD CONSTRAINT case_materials_dependant_item
  CHECK ((item_code LIKE 'dependant\_%') = (dependant_id IS NOT NULL));
CREATE INDEX case_materials_dependant_idx ON case_materials (region_code, dependant_id)
  WHERE dependant_id IS NOT NULL;
