#!/bin/sh
# The recording runs behind REPORT.md, one after another (one CPU at a time).
cd "$(dirname "$0")"
REST='!=3.10.0,>=3.9;~=3.9;~=3.9.0;==3.9.*;>3.9;>=3.9.2;>=3.9.0;>=3.9,<3.9.1;<3.10;>3.8;>=3.9+local;==3.9.0+local;!=3.9.0,!=3.9.1,>=3.7;>=3.9.0,!=3.9.0;!=3.9,>=3.9;>3.9.0;===3.9.0;!=3.9.0;>=3.10'
# Q1 first part (already recorded): full grid of 25 uv versions x 6 modes for the first six specs
#   python3 record_issue13.py q1 --uv <25 versions> --out q1_uv_index_fullgrid_partial.json   (stopped after 6 specs)
python3 record_issue13.py q1 --uv 0.1.40,0.2.18,0.2.19,0.4.2,0.4.3,0.4.30,0.6.17,0.9.0,0.12.24,0.13.9 \
  --modes pv3.9@py3.9.18,native3.9.18,pv3.9.1@py3.9.18 --specs "$REST" --out q1_uv_index_rest.json > logs_q1_rest.log 2>&1
python3 record_issue13.py q1 --uv 0.1.40,0.2.18,0.2.19,0.4.2,0.4.3,0.4.30,0.13.9 --modes pv3.9@py3.9.18 \
  --specs '!=3.9.0,!=3.9.1,>=3.9;>=3.10;!=3.9.*,>=3.7' --sources find-links --out q1_uv_findlinks.json > logs_q1_fl.log 2>&1
python3 record_issue13.py q2 --uv 0.1.40,0.1.45,0.2.2,0.2.3,0.4.30,0.9.0,0.9.5,0.9.6,0.13.9 --pip 20.2.4,21.3.1,26.3 \
  --out q2_ties.json > logs_q2.log 2>&1
# Q2 on ext4 (this machine's /tmp) for the uv 0.5.x boundary of the folder sort
python3 record_issue13.py q2 --uv 0.5.6,0.5.7,0.5.18,0.5.19 --out q2_ties_uv05.json > logs_q2_uv05.log 2>&1
# Q2 folders on tmpfs (/dev/shm), whose readdir order follows creation order, unlike ext4's hash order
python3 record_issue13.py q2 --uv 0.1.40,0.2.2,0.2.3,0.4.30,0.5.6,0.5.7,0.5.18,0.5.19,0.9.5,0.9.6,0.13.9 \
  --pip 20.2.4,21.3.1,26.3 --sources find-links --root /dev/shm --out q2_ties_tmpfs.json > logs_q2_tmpfs.log 2>&1
python3 record_issue13.py q1 --uv 0.13.9 --modes native3.9.18 --specs '!=3.9.0,!=3.9.1,>=3.9;>=3.10;!=3.9.*,>=3.7' --sources find-links --out q1_uv_findlinks_native.json > logs_q1_fl_native.log 2>&1
