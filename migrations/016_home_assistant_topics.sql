-- 016: the retained topics this cabinet published for Home Assistant's MQTT discovery (its
-- discovery configs and its ha/state), so that it clears exactly those when discovery is turned
-- off or an entity goes (a slot the profile no longer has). Kept here rather than read back from
-- the broker: reading back meant subscribing under the discovery prefix, where anyone who may
-- publish there could make the cabinet answer each forged config with a publish of its own.
-- A topic is added before it is first published and removed once its clearing is acknowledged
-- by the broker, so a crash in between leaves it listed (cleared again), never forgotten.
CREATE TABLE home_assistant_topics (
  topic TEXT PRIMARY KEY
) WITHOUT ROWID;
