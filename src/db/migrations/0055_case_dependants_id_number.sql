-- 0055 a survivor's own view finds the cases that record her by her 公民身份号码 (issue 12,
-- benefit-survivor-self.ts: persons.id_number = case_dependants.id_number); without an index each
-- portal read scanned every dependant of the province. Forward-only: never edit once shipped; add a
-- new numbered file instead.
CREATE INDEX case_dependants_id_number_idx ON case_dependants (id_number);
