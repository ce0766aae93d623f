#!/usr/bin/python3
"""Writes two tiny ONNX models with fixed YOLO-style outputs, to test cpu-stream's ONNX path
(OpenCV DNN loading, letterbox mapping, confidence threshold, NMS, both output layouts)
without shipping a real network. Needs Debian's python3-onnx; the .onnx files are committed.

The output ignores the image except for a zero-weighted dependency (so the graph stays a
function of its input). Boxes are in the 320x320 letterboxed input:
  A: cx 160, cy 160, w 80, h 160, class 0, score 0.9*0.9 (v5) / 0.81 (v8)   -> kept
  B: a copy of A shifted by 4 px with a lower score                        -> removed by NMS
  C: class 1 at (60, 100), score 0.2                                         -> below threshold
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rows_v5 = np.array([
    [160, 160, 80, 160, 0.9, 0.9, 0.05],
    [164, 160, 80, 160, 0.8, 0.9, 0.05],
    [60, 100, 40, 40, 0.5, 0.1, 0.4],
], dtype=np.float32)[None]                       # [1, 3, 5+2]
rows_v8 = np.array([
    [160, 160, 80, 160, 0.81, 0.02],
    [164, 160, 80, 160, 0.70, 0.02],
    [60, 100, 40, 40, 0.05, 0.2],
], dtype=np.float32).T[None]                     # [1, 4+2, 3]


def model(const, path):
    nodes = [
        helper.make_node('ReduceMean', ['images'], ['m'], keepdims=1),     # [1,1,1,1]
        helper.make_node('Reshape', ['m', 'shape'], ['m3']),                # [1,1,1]
        helper.make_node('Mul', ['m3', 'zero'], ['z']),
        helper.make_node('Add', ['z', 'const'], ['output']),
    ]
    inits = [
        numpy_helper.from_array(np.array([1, 1, 1], dtype=np.int64), 'shape'),
        numpy_helper.from_array(np.array([0], dtype=np.float32), 'zero'),
        numpy_helper.from_array(const, 'const'),
    ]
    g = helper.make_graph(nodes, 'fixed_yolo',
                          [helper.make_tensor_value_info('images', TensorProto.FLOAT, [1, 3, 320, 320])],
                          [helper.make_tensor_value_info('output', TensorProto.FLOAT, list(const.shape))], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])
    m.ir_version = 7
    onnx.checker.check_model(m)
    onnx.save(m, path)


model(rows_v5, 'fixed_yolov5.onnx')
model(rows_v8, 'fixed_yolov8.onnx')
