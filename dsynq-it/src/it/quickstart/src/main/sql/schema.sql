-- The tutorial's one table. dsynq versions the data; the schema is the application's business.
CREATE TABLE item (
    id   INT PRIMARY KEY,
    code INT,
    name VARCHAR(50)
);
