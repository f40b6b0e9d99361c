-- Up Migration

-- Sales forecast and actual (売上予実), the database source of /sales. Another source, the sales
-- service over HTTP (openapi/sales.yaml), answers the same questions when SALES_API_URL is set.
CREATE SCHEMA sales;

CREATE TABLE sales.departments (
  id    text PRIMARY KEY,
  name  text NOT NULL
);

CREATE TABLE sales.customers (
  id    text PRIMARY KEY,
  name  text NOT NULL
);

CREATE TABLE sales.projects (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  customer_id   text NOT NULL REFERENCES sales.customers (id),
  department_id text NOT NULL REFERENCES sales.departments (id)
);
CREATE INDEX projects_customer ON sales.projects (customer_id);
CREATE INDEX projects_department ON sales.projects (department_id);

-- One row per project and month, amounts in integer yen. The actual stays NULL until the month's
-- sales are recorded (future months have a forecast only); zero means "recorded, nothing sold".
CREATE TABLE sales.monthly (
  project_id  text   NOT NULL REFERENCES sales.projects (id),
  month       date   NOT NULL CHECK (month = date_trunc('month', month)::date),
  forecast    bigint NOT NULL DEFAULT 0,
  actual      bigint,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, month)
);
CREATE INDEX monthly_month ON sales.monthly (month);

-- Down Migration
DROP SCHEMA sales CASCADE;
