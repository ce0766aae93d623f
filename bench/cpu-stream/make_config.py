#!/usr/bin/env python3
"""Makes a runnable config set for the benchmark from a shipped template.

usage: make_config.py <repo> <template> <out-dir> <video> <sample_interval> <push-port> [decode-only [loop_num]]

Copies stream-graphs/<template>/config, fills the channel (VIDEO, loop_num 1, fps -1 = as fast
as possible), puts a vertical tripwire line across vtest.avi's square, and appends http_push
after the sink, as the server's builder does. 'decode-only' keeps only the decode element.
"""
import json
import os
import shutil
import sys

repo, template, out, video, interval, port = sys.argv[1:7]
decode_only = len(sys.argv) > 7 and sys.argv[7] == 'decode-only'
loops = int(sys.argv[8]) if len(sys.argv) > 8 else 1
src = os.path.join(repo, 'stream-graphs', template, 'config')
dst = os.path.join(out, 'config')
shutil.rmtree(out, ignore_errors=True)
shutil.copytree(src, dst)
root = os.path.join(repo, 'cpu-stream', 'root')
for name in os.listdir(dst):
    p = os.path.join(dst, name)
    with open(p) as f:
        text = f.read().replace('{Stream_path}', root)
    with open(p, 'w') as f:
        f.write(text)

demo_path = os.path.join(dst, template + '_demo.json')
demo = json.load(open(demo_path))
demo['channels'] = [{'channel_id': 0, 'url': video, 'source_type': 'VIDEO', 'sample_interval': int(interval),
                     'loop_num': loops, 'fps': -1}]
demo['http_report'] = {'ip': '127.0.0.1', 'port': int(port), 'path': '/errors'}
json.dump(demo, open(demo_path, 'w'), indent=2)

engine_path = os.path.join(dst, 'engine_group.json')
graphs = json.load(open(engine_path))
g = graphs[0]
if decode_only:
    g['elements'] = [e for e in g['elements'] if e.get('ports', {}).get('input')]
    g['connections'] = []
else:
    sink = next(e for e in g['elements'] if e.get('ports', {}).get('output'))
    del sink['ports']['output']
    json.dump({'configure': {'ip': '127.0.0.1', 'port': int(port), 'path': '/push'}, 'name': 'http_push',
               'side': 'sophgo', 'thread_number': 1}, open(os.path.join(dst, 'http_push.json'), 'w'))
    g['elements'].append({'element_id': 5999, 'element_config': 'config/http_push.json',
                          'ports': {'output': [{'port_id': 0, 'is_sink': True, 'is_src': False}]}})
    g['connections'].append({'src_element_id': sink['element_id'], 'src_port': 0, 'dst_element_id': 5999, 'dst_port': 0})
json.dump(graphs, open(engine_path, 'w'), indent=2)

filter_path = os.path.join(dst, 'filter.json')
if os.path.exists(filter_path):
    f = json.load(open(filter_path))
    for rule in f['configure']['rules']:
        for flt in rule['filters']:
            flt['areas'] = [[{'left': 400, 'top': 60}, {'left': 400, 'top': 570}]]
    json.dump(f, open(filter_path, 'w'), indent=2)
print(os.path.relpath(demo_path, out))
