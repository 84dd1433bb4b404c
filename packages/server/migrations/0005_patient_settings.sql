-- The holder's own choices for their space. Patient-owned: keyed by patient_id. A space without a
-- row has the defaults below; the row appears when the holder first changes something.
create table patient_settings (
  patient_id uuid primary key references patient (patient_id),
  -- E-mail notifications to the holder's personal address. They never carry health data, only
  -- "something new is in your space" (security checklist M4).
  notify_new_document boolean not null default true,
  notify_new_message boolean not null default true,
  notify_reminders boolean not null default true,
  updated_at timestamptz not null default now()
);
