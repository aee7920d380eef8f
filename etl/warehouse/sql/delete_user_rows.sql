-- One table's rows of a user; {table} is composed as an identifier (see erasure.py).
DELETE FROM {table} WHERE user_id = %(user_id)s;
